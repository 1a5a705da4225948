import { once } from 'node:events';
import { Agent, createServer, type IncomingMessage, request, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { defer } from './cleanup.js';

/** The polling paths of the wire contract: their 200 answers are JSON arrays of envelopes. */
const POLL_PATHS = new Set(['/poll', '/long-poll']);
/** What a proxy adds to every answer it forwards (RFC 9110 §7.6.3): heads that are not the reference server's. */
const VIA = { via: '1.1 im-bench-padding-proxy' };

/**
 * Another server for `run --target`: an HTTP proxy in front of a reference server that answers
 * every request with the reference server's answer, except that it writes `padding` before each
 * item of a poll's JSON array and before its closing bracket (as a pretty-printer would), with the
 * Content-Length to match. It adds a Via header to every answer, so its H is not the reference
 * server's either. Closed after the test.
 */
export class PaddingProxy {
  private readonly agent = new Agent({ keepAlive: true });
  private readonly server = createServer((req, res) => this.forward(req, res));

  private constructor(
    private readonly upstream: URL,
    private readonly padding: string,
  ) {}

  static async start(upstream: string, padding: string): Promise<PaddingProxy> {
    const proxy = new PaddingProxy(new URL(upstream), padding);
    proxy.server.listen(0, '127.0.0.1');
    await once(proxy.server, 'listening');
    defer(() => proxy.close());
    return proxy;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    this.server.close();
    this.agent.destroy();
    await once(this.server, 'close');
  }

  private forward(req: IncomingMessage, res: ServerResponse): void {
    const upstream = request(
      {
        host: this.upstream.hostname,
        port: this.upstream.port,
        method: req.method,
        path: req.url,
        headers: req.headers,
        agent: this.agent,
      },
      (answer) => {
        const path = new URL(req.url ?? '/', this.upstream).pathname;
        if (answer.statusCode === 200 && POLL_PATHS.has(path)) {
          void this.padded(answer, res);
        } else {
          res.writeHead(answer.statusCode ?? 502, { ...answer.headers, ...VIA });
          answer.pipe(res);
        }
      },
    );
    upstream.on('error', () => res.destroy());
    // A client gone (the run's end) takes its held long poll upstream with it.
    res.on('close', () => upstream.destroy());
    req.pipe(upstream);
  }

  private async padded(answer: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of answer) chunks.push(chunk as Buffer);
    const items = JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown[];
    const body = `[${items.map((item) => `${this.padding}${JSON.stringify(item)}`).join(',')}${this.padding}]`;
    res.writeHead(200, { ...answer.headers, ...VIA, 'content-length': String(Buffer.byteLength(body)) });
    res.end(body);
  }
}
