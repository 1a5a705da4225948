import { channelFromQuery, subscribeCursor } from '../../broker/request-params.js';
import { type ResponseFrames, ResponseStreams } from '../shared/response-streams.js';
import type { ServerContext, TransportServer } from '../transport.js';

const STREAM_HEADERS = {
  'content-type': 'application/x-ndjson; charset=utf-8',
  'cache-control': 'no-store',
  'x-accel-buffering': 'no',
};

const NEWLINE = Buffer.from('\n');
const line = (json: string): Buffer => Buffer.from(`${json}\n`);

/** One JSON text per line; an empty line is the heartbeat, which NDJSON readers skip. */
const NDJSON_FRAMES: ResponseFrames = {
  message: (entry) => Buffer.concat([entry.bytes, NEWLINE]),
  gap: (gap) => line(JSON.stringify({ gap })),
  reset: (epoch) => line(JSON.stringify({ reset: { epoch } })),
  heartbeat: NEWLINE,
};

/**
 * `GET /stream?since=N`: one long response per subscriber, newline-delimited JSON (an envelope,
 * or a gap or reset marker, per line), resumed from `since` on the next request.
 */
export function createHttpStreamingServer({ broker, settings, burnCopies }: ServerContext): TransportServer {
  const streams = new ResponseStreams(broker, NDJSON_FRAMES, settings.heartbeatMs, burnCopies);
  return {
    handleRequest(_req, res, query) {
      const channel = channelFromQuery(query);
      const cursor = subscribeCursor(query, broker.epoch);
      res.writeHead(200, STREAM_HEADERS);
      // The client counts as subscribed on the headers: send them now, not with the first message.
      res.flushHeaders();
      streams.add(res, channel, cursor);
    },
    handleHead(_req, res, query) {
      channelFromQuery(query);
      subscribeCursor(query, broker.epoch);
      res.writeHead(200, STREAM_HEADERS).end();
    },
    reaped: () => 0,
    shed: () => streams.shed,
    close: () => streams.close(),
  };
}
