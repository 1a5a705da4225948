import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import type { BrokerEntry } from '../../server/broker.js';
import { HttpError } from '../../server/http-util.js';
import { isOriginAllowed } from '../../server/origin.js';
import { channelFromQuery, sinceFromQuery } from '../../server/request-params.js';
import type { ServerContext, TransportServer } from '../transport.js';

const CLOSE_GOING_AWAY = 1001;
const CLOSE_UNSUPPORTED_DATA = 1003;

interface Subscriber {
  socket: WebSocket;
  alive: boolean;
}

/**
 * `GET /ws?since=N` upgraded with the `ws` library: one text frame per envelope. Clients may
 * publish with `{"type":"publish",...}` frames; a ping every heartbeat reaps dead peers.
 */
export function createWebSocketServer(context: ServerContext): TransportServer {
  const { broker, settings } = context;
  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: settings.maxMessageBytes,
    perMessageDeflate: false,
    clientTracking: false,
  });
  const subscribersByChannel = new Map<string, Set<Subscriber>>();

  broker.subscribe((entry: BrokerEntry) => {
    const subscribers = subscribersByChannel.get(entry.channel);
    if (subscribers === undefined) return;
    for (const { socket } of subscribers) socket.send(entry.bytes, { binary: false });
  });

  const heartbeat = setInterval(() => {
    for (const subscribers of subscribersByChannel.values()) {
      for (const subscriber of subscribers) {
        if (!subscriber.alive) {
          subscriber.socket.terminate();
          continue;
        }
        subscriber.alive = false;
        subscriber.socket.ping();
      }
    }
  }, settings.heartbeatMs);
  heartbeat.unref();

  function onClientMessage(socket: WebSocket, data: RawData, isBinary: boolean): void {
    if (isBinary) {
      socket.close(CLOSE_UNSUPPORTED_DATA, 'binary frames are not part of the contract');
      return;
    }
    try {
      const message: unknown = JSON.parse(data.toString());
      if (typeof message !== 'object' || message === null || (message as { type?: unknown }).type !== 'publish') {
        throw new HttpError(400, 'bad_message', 'expected a JSON object with "type":"publish"');
      }
      context.publish(message);
    } catch (error) {
      const reason = error instanceof HttpError ? error : new HttpError(400, 'bad_json', 'message is not valid JSON');
      socket.send(JSON.stringify({ type: 'error', error: { code: reason.code, message: reason.message } }));
    }
  }

  function subscribe(socket: WebSocket, channel: string, since: number): void {
    const subscriber: Subscriber = { socket, alive: true };
    const backlog = broker.readAfter(channel, since);
    if (backlog.gap !== undefined) socket.send(JSON.stringify({ gap: backlog.gap }));
    for (const entry of backlog.entries) socket.send(entry.bytes, { binary: false });

    let subscribers = subscribersByChannel.get(channel);
    if (subscribers === undefined) subscribersByChannel.set(channel, (subscribers = new Set()));
    subscribers.add(subscriber);
    socket.on('pong', () => (subscriber.alive = true));
    socket.on('message', (data, isBinary) => onClientMessage(socket, data, isBinary));
    // ws answers protocol errors (bad frames, oversize messages) itself with a close code.
    socket.on('error', () => {});
    socket.on('close', () => {
      subscribers.delete(subscriber);
      if (subscribers.size === 0 && subscribersByChannel.get(channel) === subscribers) subscribersByChannel.delete(channel);
    });
  }

  return {
    handleRequest() {
      throw new HttpError(426, 'upgrade_required', 'this endpoint speaks WebSocket: send an Upgrade request', {
        upgrade: 'websocket',
      });
    },

    handleUpgrade(req, socket, head, query) {
      if (!isOriginAllowed(req, settings.allowOrigins)) {
        throw new HttpError(403, 'forbidden_origin', `origin ${req.headers.origin} is not allowed (see --allow-origin)`);
      }
      const channel = channelFromQuery(query);
      const since = sinceFromQuery(query);
      wss.handleUpgrade(req, socket, head, (ws) => subscribe(ws, channel, since));
    },

    close() {
      clearInterval(heartbeat);
      for (const subscribers of subscribersByChannel.values()) {
        for (const { socket } of subscribers) socket.close(CLOSE_GOING_AWAY, 'server shutting down');
      }
      wss.close();
    },
  };
}
