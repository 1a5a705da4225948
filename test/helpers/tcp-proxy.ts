import { once } from 'node:events';
import { createConnection, createServer, type AddressInfo, type Socket } from 'node:net';
import { defer } from './cleanup.js';

/**
 * A loopback TCP proxy whose connections can be cut at will: a real network fault for
 * reconnect tests. It also keeps what clients sent, to check resume headers.
 */
export class TcpProxy {
  readonly clientBytes: Buffer[] = [];
  private readonly pairs = new Set<[Socket, Socket]>();
  private readonly server = createServer((downstream) => this.accept(downstream));

  private constructor(private readonly targetPort: number) {}

  static async start(targetPort: number): Promise<TcpProxy> {
    const proxy = new TcpProxy(targetPort);
    proxy.server.listen(0, '127.0.0.1');
    await once(proxy.server, 'listening');
    defer(() => proxy.close());
    return proxy;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  get connectionCount(): number {
    return this.pairs.size;
  }

  sentText(): string {
    return Buffer.concat(this.clientBytes).toString('latin1');
  }

  /** Destroys every proxied connection at once, both sides. */
  dropAll(): void {
    for (const [downstream, upstream] of this.pairs) {
      downstream.destroy();
      upstream.destroy();
    }
    this.pairs.clear();
  }

  async close(): Promise<void> {
    this.dropAll();
    this.server.close();
    await once(this.server, 'close');
  }

  private accept(downstream: Socket): void {
    const upstream = createConnection(this.targetPort, '127.0.0.1');
    const pair: [Socket, Socket] = [downstream, upstream];
    this.pairs.add(pair);
    const end = (): void => {
      this.pairs.delete(pair);
      downstream.destroy();
      upstream.destroy();
    };
    downstream.on('data', (chunk: Buffer) => this.clientBytes.push(chunk));
    downstream.pipe(upstream);
    upstream.pipe(downstream);
    downstream.on('error', end).on('close', end);
    upstream.on('error', end).on('close', end);
  }
}
