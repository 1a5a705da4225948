import { connect as netConnect, type NetConnectOpts, type Socket } from 'node:net';
import { buildConnector } from 'undici';

/**
 * What one simulated client spent: requests, empty answers, reconnects, and every byte read
 * and written on its sockets (headers, chunk and frame overhead included). Bytes come from
 * the sockets' own counters, so nothing on the per-message path has to count them.
 */
export class ClientMeter {
  requests = 0;
  emptyResponses = 0;
  reconnects = 0;
  private closedSocketBytes = 0;
  private readonly sockets = new Set<Socket>();

  track(socket: Socket): void {
    this.sockets.add(socket);
    socket.once('close', () => {
      this.closedSocketBytes += socket.bytesRead + socket.bytesWritten;
      this.sockets.delete(socket);
    });
  }

  /** Bytes read + written so far, on closed and open sockets. */
  bytes(): number {
    let total = this.closedSocketBytes;
    for (const socket of this.sockets) total += socket.bytesRead + socket.bytesWritten;
    return total;
  }
}

const undiciConnector = buildConnector({});

/** An undici `connect` option that hands every socket it opens to `meter`. */
export function meteredConnector(meter: ClientMeter): buildConnector.connector {
  return (options, callback) =>
    undiciConnector(options, (error, socket) => {
      if (socket !== null) meter.track(socket as Socket);
      if (error === null) callback(null, socket!);
      else callback(error, null);
    });
}

/** A `ws` `createConnection` option that hands every socket it opens to `meter`. */
export function meteredNetConnect(meter: ClientMeter): typeof netConnect {
  const connect = (options: NetConnectOpts): Socket => {
    const socket = netConnect(options);
    meter.track(socket);
    return socket;
  };
  // ws only ever calls it with one options object; the overloads of net.connect are not needed.
  return connect as typeof netConnect;
}
