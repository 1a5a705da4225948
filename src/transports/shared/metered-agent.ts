import { Agent, type ClientRequest } from 'node:http';
import { connect as netConnect, type NetConnectOpts, type Socket } from 'node:net';
import type { ClientMeter } from './client-meter.js';

/**
 * How long a kept-alive connection may sit idle before the client closes it: under the 5 s after
 * which a Node server closes it, so that a request never goes out on a connection the server is
 * closing at that moment.
 */
const IDLE_SOCKET_MS = 4_000;

/**
 * The HTTP agent of one simulated client that a library drives with `http.request` (socket.io-client):
 * connections kept alive, as a browser keeps them, every socket handed to the meter (its bytes)
 * and every request counted, polls, POSTs and WebSocket upgrades alike.
 */
export class MeteredAgent extends Agent {
  constructor(
    private readonly meter: ClientMeter,
    private readonly localAddress: string | undefined,
  ) {
    super({ keepAlive: true });
  }

  override createConnection(options: NetConnectOpts): Socket {
    const socket = netConnect(
      this.localAddress === undefined ? options : { ...options, localAddress: this.localAddress },
    );
    this.meter.track(socket);
    return socket;
  }

  /** Node's answer (typed void, but it says whether the connection may be kept), with the idle limit set. */
  override keepSocketAlive(socket: Socket): boolean {
    const kept = super.keepSocketAlive(socket) as unknown as boolean;
    socket.setTimeout(IDLE_SOCKET_MS);
    return kept;
  }

  /**
   * A request on a kept-alive connection that is reset, xmlhttprequest-ssl (engine.io-client's
   * polling in Node) sends again but never ends: the client then hangs, neither polling nor
   * reconnecting, until Engine.IO's heartbeat gives up 45 s later. Not marking the connection as
   * reused lets the reset reach engine.io-client, which reconnects as a browser's does (whose
   * retry of the poll finds the session gone). With idle connections closed first by the client
   * (IDLE_SOCKET_MS), a reset is a real one, never the race that retry is for.
   */
  override reuseSocket(socket: Socket, request: ClientRequest): void {
    super.reuseSocket(socket, request);
    socket.setTimeout(0);
    request.reusedSocket = false;
  }

  /** Kept-alive connections waiting for a request. */
  get idleSockets(): number {
    return Object.values(this.freeSockets).reduce((count, sockets) => count + (sockets?.length ?? 0), 0);
  }

  /** Every request the library makes goes through here (not in Node's typings). */
  addRequest(request: ClientRequest, options: unknown): void {
    this.meter.requests++;
    (Agent.prototype as unknown as { addRequest(r: ClientRequest, o: unknown): void }).addRequest.call(
      this,
      request,
      options,
    );
  }
}
