import type { ServerResponse } from 'node:http';
import { channelFromQuery, resolveCursor, sinceFromQuery } from '../../broker/request-params.js';
import { chunk, writeChunks } from '../shared/chunked-stream.js';
import { StreamFanout, type StreamWriter } from '../shared/stream-fanout.js';
import type { ServerContext, TransportServer } from '../transport.js';

const STREAM_HEADERS = {
  'content-type': 'application/x-ndjson; charset=utf-8',
  'cache-control': 'no-store',
  'x-accel-buffering': 'no',
};

const NEWLINE = Buffer.from('\n');
/** An empty line: NDJSON readers skip it, and it shows a silent stream is alive. */
const HEARTBEAT_CHUNK = chunk(NEWLINE);

const line = (json: string): Buffer => chunk(Buffer.from(`${json}\n`));

/** One JSON text per line, each an HTTP chunk built once per message for every stream. */
const responseWriter: StreamWriter<ServerResponse> = {
  frame: (entry) => chunk(Buffer.concat([entry.bytes, NEWLINE])),
  gapFrame: (gap) => line(JSON.stringify({ gap })),
  resetFrame: (epoch) => line(JSON.stringify({ reset: { epoch } })),
  write(res, frames, flushed) {
    writeChunks(res, frames.length === 1 ? frames[0]! : Buffer.concat(frames), flushed);
  },
  queued: (res) => res.writableLength,
  isOpen: (res) => !res.destroyed && res.writable,
  shed: (res) => res.destroy(),
};

/**
 * `GET /stream?since=N`: one long response per subscriber, newline-delimited JSON (an envelope,
 * or a gap or reset marker, per line), resumed from `since` on the next request.
 */
export function createHttpStreamingServer({ broker, settings }: ServerContext): TransportServer {
  const fanout = new StreamFanout(broker, responseWriter);

  const heartbeat = setInterval(() => {
    fanout.shedStalled(2 * settings.heartbeatMs);
    for (const { sink, catchingUp } of fanout.subscribers()) if (!catchingUp) writeChunks(sink, HEARTBEAT_CHUNK);
  }, settings.heartbeatMs);
  heartbeat.unref();

  return {
    handleRequest(_req, res, query) {
      const channel = channelFromQuery(query);
      const cursor = resolveCursor(query, sinceFromQuery(query), broker.epoch);
      res.writeHead(200, STREAM_HEADERS);
      // The client counts as subscribed on the headers: send them now, not with the first message.
      res.flushHeaders();
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
