import type { IncomingMessage, ServerResponse } from 'node:http';
import { channelFromQuery, parseSeq, resolveCursor, sinceFromQuery } from '../../broker/request-params.js';
import { StreamFanout, type StreamWriter } from '../shared/stream-fanout.js';
import type { ServerContext, TransportServer } from '../transport.js';
import { chunk, writeChunks } from '../shared/chunked-stream.js';
import { gapFrame, HEARTBEAT_FRAME, messageFrame, resetFrame, retryFrame } from './format.js';

const STREAM_HEADERS = {
  'content-type': 'text/event-stream; charset=utf-8',
  'cache-control': 'no-store',
  'x-accel-buffering': 'no',
};

/** The browser's reconnect carries `Last-Event-ID`, which is newer than the `since` in its URL. */
function resumeCursor(req: IncomingMessage, query: URLSearchParams): number {
  const lastEventId = req.headers['last-event-id'];
  if (typeof lastEventId === 'string' && lastEventId !== '') return parseSeq(lastEventId, 'Last-Event-ID');
  return sinceFromQuery(query);
}

const HEARTBEAT_CHUNK = chunk(HEARTBEAT_FRAME);

/** Frames are HTTP chunks, built once per message for every stream. */
const responseWriter: StreamWriter<ServerResponse> = {
  frame: (entry) => chunk(messageFrame(entry)),
  gapFrame: (gap) => chunk(gapFrame(gap)),
  resetFrame: (epoch) => chunk(resetFrame(epoch)),
  write(res, frames, flushed) {
    writeChunks(res, frames.length === 1 ? frames[0]! : Buffer.concat(frames), flushed);
  },
  queued: (res) => res.writableLength,
  isOpen: (res) => !res.destroyed && res.writable,
  shed: (res) => res.destroy(),
};

/** `GET /sse`: one long response per subscriber, `id:` = seq, resumable by `Last-Event-ID`. */
export function createSseServer({ broker, settings }: ServerContext): TransportServer {
  const fanout = new StreamFanout(broker, responseWriter);

  const heartbeat = setInterval(() => {
    fanout.shedStalled(2 * settings.heartbeatMs);
    for (const { sink, catchingUp } of fanout.subscribers()) if (!catchingUp) writeChunks(sink, HEARTBEAT_CHUNK);
  }, settings.heartbeatMs);
  heartbeat.unref();

  return {
    handleRequest(req, res, query) {
      const channel = channelFromQuery(query);
      const cursor = resolveCursor(query, resumeCursor(req, query), broker.epoch);
      res.writeHead(200, STREAM_HEADERS);
      res.write(retryFrame(settings.reconnectDelayMs));
      const subscriber = fanout.add(res, channel, cursor);
      res.on('close', () => fanout.remove(subscriber));
    },

    reaped: () => 0,

    shed: () => fanout.shed,

    close() {
      clearInterval(heartbeat);
      for (const subscriber of fanout.subscribers()) {
        fanout.remove(subscriber);
        subscriber.sink.end();
      }
    },
  };
}
