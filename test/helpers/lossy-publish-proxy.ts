import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import { request } from 'undici';
import { defer } from './cleanup.js';

/** Hop-by-hop headers and those undici writes itself: never forwarded. */
const NOT_FORWARDED = new Set(['host', 'connection', 'keep-alive', 'transfer-encoding', 'content-length']);

function forwarded(headers: IncomingHttpHeaders): Record<string, string> {
  const kept: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers))
    if (!NOT_FORWARDED.has(name) && value !== undefined) kept[name] = Array.isArray(value) ? value.join(', ') : value;
  return kept;
}

/** The `seq` of a published envelope, when the body is one. */
function seqOf(body: Buffer): number | undefined {
  try {
    const seq = (JSON.parse(body.toString('utf8')) as { seq?: unknown }).seq;
    return typeof seq === 'number' ? seq : undefined;
  } catch {
    return undefined;
  }
}

/**
 * A loopback HTTP hop in front of a server that silently loses the publishes whose envelope
 * carries one of `dropSeqs`: it answers them 202 itself, as the server would have, and forwards
 * every other request as it came. The publisher cannot tell; only the clients' accounting can.
 */
export class LossyPublishProxy {
  /** The seqs this hop dropped, in the order they came. */
  readonly dropped: number[] = [];
  private readonly server = createServer((incoming, answer) => void this.relay(incoming, answer));

  private constructor(
    private readonly origin: string,
    private readonly dropSeqs: ReadonlySet<number>,
  ) {}

  static async start(origin: string, dropSeqs: readonly number[]): Promise<LossyPublishProxy> {
    const proxy = new LossyPublishProxy(origin, new Set(dropSeqs));
    proxy.server.listen(0, '127.0.0.1');
    await once(proxy.server, 'listening');
    defer(async () => {
      proxy.server.closeAllConnections();
      proxy.server.close();
      await once(proxy.server, 'close');
    });
    return proxy;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  private async relay(incoming: IncomingMessage, answer: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of incoming) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    const seq = seqOf(body);
    if (seq !== undefined && this.dropSeqs.has(seq)) {
      this.dropped.push(seq);
      answer.writeHead(202).end();
      return;
    }
    try {
      const upstream = await request(`${this.origin}${incoming.url ?? '/'}`, {
        method: incoming.method as 'POST',
        headers: forwarded(incoming.headers),
        ...(body.length > 0 ? { body } : {}),
      });
      const text = Buffer.from(await upstream.body.arrayBuffer());
      const contentType = upstream.headers['content-type'];
      answer.writeHead(upstream.statusCode, contentType === undefined ? {} : { 'content-type': String(contentType) });
      answer.end(text);
    } catch (error) {
      answer.writeHead(502).end((error as Error).message);
    }
  }
}
