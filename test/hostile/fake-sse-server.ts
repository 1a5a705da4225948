import { once } from 'node:events';
import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { defer } from '../helpers/cleanup.js';
import { sleep } from '../helpers/wait.js';

export interface SeenRequest {
  index: number;
  /** Date.now() when it arrived. */
  at: number;
  url: string;
  headers: IncomingHttpHeaders;
}

/** Answers request number `index` (0 for the first); may write slowly, end, or leave the response open. */
export type Responder = (res: ServerResponse, request: SeenRequest) => void | Promise<void>;

/**
 * A small HTTP server that answers an SSE client with crafted bytes, and remembers every
 * request it saw and when each response ended. Closed after the test.
 */
export class FakeSseServer {
  readonly requests: SeenRequest[] = [];
  /** Date.now() when the response to request `index` ended. */
  readonly endedAt: number[] = [];
  private readonly http = createServer((req, res) => {
    const request: SeenRequest = {
      index: this.requests.length,
      at: Date.now(),
      url: req.url ?? '',
      headers: req.headers,
    };
    this.requests.push(request);
    res.on('close', () => (this.endedAt[request.index] ??= Date.now()));
    res.on('finish', () => (this.endedAt[request.index] = Date.now()));
    void Promise.resolve(this.respond(res, request)).catch(() => res.destroy());
  });

  private constructor(private readonly respond: Responder) {}

  static async start(respond: Responder): Promise<FakeSseServer> {
    const server = new FakeSseServer(respond);
    server.http.listen(0, '127.0.0.1');
    await once(server.http, 'listening');
    defer(() => server.close());
    return server;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.http.address() as AddressInfo).port}`;
  }

  async close(): Promise<void> {
    this.http.closeAllConnections();
    this.http.close();
    await once(this.http, 'close');
  }
}

export const SSE_HEADERS = { 'content-type': 'text/event-stream', 'cache-control': 'no-store' };

/** Starts an event stream and writes `parts` one by one, `gapMs` apart, so each tends to arrive as its own chunk. */
export async function writeParts(
  res: ServerResponse,
  parts: ReadonlyArray<string | Buffer>,
  gapMs = 15,
): Promise<void> {
  if (!res.headersSent) {
    res.writeHead(200, SSE_HEADERS);
    res.flushHeaders();
  }
  for (const part of parts) {
    if (res.destroyed) return;
    res.write(part);
    await sleep(gapMs);
  }
}

/** A wire-contract envelope as the `data:` of an event. */
export function envelope(seq: number, data = `m${seq}`): string {
  return JSON.stringify({ seq, t: '1', ch: 'default', from: null, data });
}
