import { WebSocket, WebSocketServer, type RawData } from 'ws';
import { HttpError } from '../../server/http-util.js';
import { isOriginAllowed } from '../../server/origin.js';
import { channelFromQuery, resolveCursor, sinceFromQuery, type Cursor } from '../../server/request-params.js';
import { StreamFanout, type StreamWriter } from '../stream-fanout.js';
import { EPOCH_HEADER, type ServerContext, type TransportServer } from '../transport.js';

const CLOSE_GOING_AWAY = 1001;
const CLOSE_UNSUPPORTED_DATA = 1003;

const TEXT = { binary: false } as const;

const socketWriter: StreamWriter<WebSocket> = {
  frame: (entry) => entry.bytes,
  gapFrame: (gap) => Buffer.from(JSON.stringify({ gap })),
  resetFrame: (epoch) => Buffer.from(JSON.stringify({ reset: { epoch } })),
  write(socket, frames, flushed) {
    const last = frames.length - 1;
    for (let i = 0; i < last; i++) socket.send(frames[i]!, TEXT);
    if (flushed === undefined) socket.send(frames[last]!, TEXT);
    else socket.send(frames[last]!, TEXT, () => flushed());
  },
  queued: (socket) => socket.bufferedAmount,
  isOpen: (socket) => socket.readyState === WebSocket.OPEN,
  shed: (socket) => socket.terminate(),
};

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
  const fanout = new StreamFanout(broker, socketWriter);
  // The epoch names the log a cursor belongs to; the other techniques send it on their responses.
  wss.on('headers', (headers) => headers.push(`${EPOCH_HEADER}: ${broker.epoch}`));
  const alive = new WeakMap<WebSocket, boolean>();

  const heartbeat = setInterval(() => {
    fanout.shedStalled(2 * settings.heartbeatMs);
    for (const { sink: socket } of fanout.subscribers()) {
      if (alive.get(socket) === false) {
        socket.terminate();
        continue;
      }
      alive.set(socket, false);
      socket.ping();
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

  function subscribe(socket: WebSocket, channel: string, cursor: Cursor): void {
    const subscriber = fanout.add(socket, channel, cursor);
    alive.set(socket, true);
    socket.on('pong', () => alive.set(socket, true));
    socket.on('message', (data, isBinary) => onClientMessage(socket, data, isBinary));
    // ws answers protocol errors (bad frames, oversize messages) itself with a close code.
    socket.on('error', () => {});
    socket.on('close', () => fanout.remove(subscriber));
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
      const cursor = resolveCursor(query, sinceFromQuery(query), broker.epoch);
      wss.handleUpgrade(req, socket, head, (ws) => subscribe(ws, channel, cursor));
    },

    shed: () => fanout.shed,

    close() {
      clearInterval(heartbeat);
      for (const subscriber of fanout.subscribers()) {
        fanout.remove(subscriber);
        subscriber.sink.close(CLOSE_GOING_AWAY, 'server shutting down');
      }
      wss.close();
    },
  };
}
