import type { IncomingMessage } from 'node:http';
import { channelFromQuery, type Cursor, subscribeCursor } from '../../broker/request-params.js';
import { type ResponseFrames, ResponseStreams } from '../shared/response-streams.js';
import type { ServerContext, TransportServer } from '../transport.js';
import { gapFrame, HEARTBEAT_FRAME, messageFrame, resetFrame, retryFrame } from './format.js';

const STREAM_HEADERS = {
  'content-type': 'text/event-stream; charset=utf-8',
  'cache-control': 'no-store',
  'x-accel-buffering': 'no',
};

const SSE_FRAMES: ResponseFrames = {
  message: messageFrame,
  gap: gapFrame,
  reset: resetFrame,
  heartbeat: HEARTBEAT_FRAME,
};

/** The browser's reconnect carries `Last-Event-ID`, which is newer than the `since` in its URL. */
function streamCursor(req: IncomingMessage, query: URLSearchParams, epoch: string): Cursor {
  const lastEventId = req.headers['last-event-id'];
  return subscribeCursor(query, epoch, Array.isArray(lastEventId) ? lastEventId.join(', ') : lastEventId);
}

/** `GET /sse`: one long response per subscriber, `id:` = seq, resumable by `Last-Event-ID`. */
export function createSseServer({ broker, settings, burnCopies }: ServerContext): TransportServer {
  const streams = new ResponseStreams(broker, SSE_FRAMES, settings.heartbeatMs, burnCopies);
  return {
    handleRequest(req, res, query) {
      const channel = channelFromQuery(query);
      const cursor = streamCursor(req, query, broker.epoch);
      res.writeHead(200, STREAM_HEADERS);
      res.write(retryFrame(settings.reconnectDelayMs));
      streams.add(res, channel, cursor);
    },
    handleHead(req, res, query) {
      channelFromQuery(query);
      streamCursor(req, query, broker.epoch);
      res.writeHead(200, STREAM_HEADERS).end();
    },
    reaped: () => 0,
    shed: () => streams.shed,
    close: () => streams.close(),
  };
}
