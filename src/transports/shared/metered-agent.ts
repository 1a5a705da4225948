import { Agent, type ClientRequest } from 'node:http';
import { connect as netConnect, type NetConnectOpts, type Socket } from 'node:net';
import type { ClientMeter } from './client-meter.js';
import { type ClientTls, secureOn } from './plain-connection.js';

/**
 * The HTTP agent of one simulated client whose library makes its own requests (socket.io-client's
 * WebSocket upgrade, through `ws`): every socket handed to the meter (its bytes) and every
 * request counted. `secure` (an https or wss URL): TLS on the TCP socket made here, checked as
 * `tls` says, so that the meter counts the TCP socket's bytes.
 */
export class MeteredAgent extends Agent {
  constructor(
    private readonly meter: ClientMeter,
    private readonly localAddress: string | undefined,
    private readonly secure = false,
    private readonly tls?: ClientTls,
  ) {
    super();
    // https.request takes an agent only of its own protocol.
    if (secure) (this as unknown as { protocol: string }).protocol = 'https:';
  }

  override createConnection(options: NetConnectOpts & { host?: string }): Socket {
    const wire = netConnect(
      this.localAddress === undefined ? options : { ...options, localAddress: this.localAddress },
    );
    const socket = this.secure ? secureOn(wire, options.host ?? 'localhost', this.tls, ['http/1.1']) : wire;
    this.meter.track(socket, wire);
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
