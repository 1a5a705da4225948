import type { Socket } from 'node:net';
import type { TransportName } from '../document/scenario.js';

/**
 * Counts open sockets and requests per technique. A socket belongs to the technique of its
 * latest request, so a keep-alive short-polling connection counts while it is open.
 */
export class ConnectionTracker {
  private readonly open = new Map<TransportName, number>();
  private readonly requests = new Map<TransportName, number>();
  private readonly owner = new WeakMap<Socket, TransportName>();

  constructor(private readonly names: readonly TransportName[]) {
    for (const name of names) {
      this.open.set(name, 0);
      this.requests.set(name, 0);
    }
  }

  request(socket: Socket, name: TransportName): void {
    this.requests.set(name, this.requests.get(name)! + 1);
    const previous = this.owner.get(socket);
    if (previous === name) return;
    if (previous === undefined) socket.once('close', () => this.release(socket));
    else this.open.set(previous, this.open.get(previous)! - 1);
    this.owner.set(socket, name);
    this.open.set(name, this.open.get(name)! + 1);
  }

  private release(socket: Socket): void {
    const name = this.owner.get(socket);
    if (name !== undefined) this.open.set(name, this.open.get(name)! - 1);
  }

  openConnections(): Record<string, number> {
    return Object.fromEntries(this.names.map((name) => [name, this.open.get(name)!]));
  }

  requestCounts(): Record<string, number> {
    return Object.fromEntries(this.names.map((name) => [name, this.requests.get(name)!]));
  }
}
