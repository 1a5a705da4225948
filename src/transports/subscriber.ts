import type { ClientOptions, Transport, TransportClient } from './transport.js';
import { SocketIoClient } from './shared/socket-io-client.js';

/**
 * One simulated subscriber of `transport`: the technique's own client, or, for a server that
 * speaks Socket.IO (a profile's dialect says so), socket.io-client on the matching transport.
 */
export function createSubscriber(transport: Transport, options: ClientOptions): TransportClient {
  if (options.dialect?.protocol !== 'socket.io') return transport.createClient(options);
  if (transport.name !== 'long-polling' && transport.name !== 'websocket')
    throw new Error(`Socket.IO has no ${transport.name} transport (only long-polling and websocket)`);
  return new SocketIoClient(transport.name, options);
}
