import { Agent, type ClientRequest } from 'node:http';
import { connect as netConnect, type NetConnectOpts, type Socket } from 'node:net';
import type { ClientMeter } from './client-meter.js';

/**
 * The HTTP agent of one simulated client whose library makes its own requests (socket.io-client's
 * WebSocket upgrade, through `ws`): every socket handed to the meter (its bytes) and every
 * request counted.
 */
export class MeteredAgent extends Agent {
  constructor(
    private readonly meter: ClientMeter,
    private readonly localAddress: string | undefined,
  ) {
    super();
  }

  override createConnection(options: NetConnectOpts): Socket {
    const socket = netConnect(
      this.localAddress === undefined ? options : { ...options, localAddress: this.localAddress },
    );
    this.meter.track(socket);
    return socket;
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
