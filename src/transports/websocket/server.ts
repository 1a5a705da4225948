import type { IncomingMessage } from 'node:http';
import { WebSocket, WebSocketServer, type RawData } from 'ws';
import { describeValue, quoteInput } from '../../broker/describe-input.js';
import { HttpError, internalError } from '../../broker/http-util.js';
import { checkOrigin } from '../../broker/origin.js';
import { channelFromQuery, subscribeCursor, type Cursor } from '../../broker/request-params.js';
import { StreamFanout, type StreamWriter } from '../shared/stream-fanout.js';
import type { ServerContext, TransportServer } from '../transport.js';
import { sendFrames, textFrame } from './shared-frame.js';
import { EPOCH_HEADER } from '../../core/wire.js';

const CLOSE_GOING_AWAY = 1001;
const CLOSE_UNSUPPORTED_DATA = 1003;

const socketWriter: StreamWriter<WebSocket> = {
  frame: (entry) => textFrame(entry.bytes),
  gapFrame: (gap) => textFrame(Buffer.from(JSON.stringify({ gap }))),
  resetFrame: (epoch) => textFrame(Buffer.from(JSON.stringify({ reset: { epoch } }))),
  write(socket, frames, flushed) {
    sendFrames(socket, frames.length === 1 ? frames[0]! : Buffer.concat(frames), flushed);
  },
  queued: (socket) => socket.bufferedAmount,
  isOpen: (socket) => socket.readyState === WebSocket.OPEN,
  shed: (socket) => socket.terminate(),
};

const WEBSOCKET_KEY = /^[+/0-9A-Za-z]{22}==$/;

/**
 * The opening handshake's own rules (RFC 6455 §4.2.1), checked before ws sees the request so
 * that a refusal is a JSON error like every other one, with its Allow or version header.
 */
function checkHandshake(req: IncomingMessage): void {
  if (req.method !== 'GET') {
    const message = `a WebSocket handshake is a GET, not ${quoteInput(req.method ?? '')}`;
    throw new HttpError(405, 'method_not_allowed', message, { allow: 'GET, HEAD' });
  }
  if (req.httpVersionMajor < 1 || (req.httpVersionMajor === 1 && req.httpVersionMinor < 1)) {
    throw new HttpError(400, 'bad_handshake', `a WebSocket handshake needs HTTP/1.1, got HTTP/${req.httpVersion}`);
  }
  if (req.headers.upgrade?.toLowerCase() !== 'websocket') {
    throw new HttpError(
      400,
      'bad_handshake',
      `Upgrade must be websocket, got ${req.headers.upgrade === undefined ? 'none' : quoteInput(req.headers.upgrade)}`,
    );
  }
  const key = req.headers['sec-websocket-key'];
  if (key === undefined || !WEBSOCKET_KEY.test(key)) {
    throw new HttpError(400, 'bad_handshake', 'Sec-WebSocket-Key must be 16 bytes in base64');
  }
  if (req.headers['sec-websocket-version'] !== '13') {
    throw new HttpError(400, 'bad_handshake', 'Sec-WebSocket-Version must be 13', { 'sec-websocket-version': '13' });
  }
  const protocols = req.headers['sec-websocket-protocol'];
  if (
    protocols !== undefined &&
    !/^[!#$%&'*+\-.^_`|~0-9A-Za-z]+(\s*,\s*[!#$%&'*+\-.^_`|~0-9A-Za-z]+)*$/.test(protocols)
  ) {
    throw new HttpError(400, 'bad_handshake', 'Sec-WebSocket-Protocol must be a list of tokens');
  }
}

function errorFrame(error: HttpError): string {
  return JSON.stringify({ type: 'error', error: { code: error.code, message: error.message } });
}

/** A client's text frame as a publish request; whatever JSON.parse refuses (syntax, or a nesting it cannot hold) is bad JSON. */
function publishMessage(data: RawData): Record<string, unknown> {
  let message: unknown;
  try {
    message = JSON.parse(data.toString());
  } catch {
    throw new HttpError(400, 'bad_json', 'message is not valid JSON');
  }
  if (typeof message !== 'object' || message === null || Array.isArray(message)) {
    throw new HttpError(
      400,
      'bad_message',
      `expected a JSON object with "type":"publish", got ${describeValue(message)}`,
    );
  }
  const { type } = message as { type?: unknown };
  if (type !== 'publish') {
    throw new HttpError(400, 'bad_message', `expected "type":"publish", got type ${describeValue(type)}`);
  }
  return message as Record<string, unknown>;
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
    // No client of the contract fragments a message; thousands of pieces only cost heap (ws's default is 16,384).
    maxFragments: 1_024,
  });
  const fanout = new StreamFanout(broker, socketWriter, context.burnCopies);
  // The epoch names the log a cursor belongs to; the other techniques send it on their responses.
  wss.on('headers', (headers) => headers.push(`${EPOCH_HEADER}: ${broker.epoch}`));
  const alive = new WeakMap<WebSocket, boolean>();
  let reapedCount = 0;

  const heartbeat = setInterval(() => {
    fanout.shedStalled(2 * settings.heartbeatMs);
    for (const { sink: socket } of fanout.subscribers()) {
      if (alive.get(socket) === false) {
        reapedCount++;
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
    const refuse = (error: unknown): void =>
      socket.send(
        errorFrame(error instanceof HttpError ? error : internalError(error, 'the server could not take this message')),
      );
    try {
      const published = context.publish(publishMessage(data));
      if (published instanceof Promise) published.catch(refuse);
    } catch (error) {
      refuse(error);
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
      checkHandshake(req);
      checkOrigin(req, settings.allowOrigins);
      const channel = channelFromQuery(query);
      const cursor = subscribeCursor(query, broker.epoch);
      wss.handleUpgrade(req, socket, head, (ws) => subscribe(ws, channel, cursor));
    },

    shed: () => fanout.shed,

    reaped: () => reapedCount,

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
