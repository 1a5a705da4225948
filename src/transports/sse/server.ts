import type { IncomingMessage, ServerResponse } from 'node:http';
import type { BrokerEntry } from '../../server/broker.js';
import { channelFromQuery, parseSeq, sinceFromQuery } from '../../server/request-params.js';
import type { ServerContext, TransportServer } from '../transport.js';
import { gapFrame, HEARTBEAT_FRAME, messageFrame, retryFrame } from './format.js';

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

/** `GET /sse`: one long response per subscriber, `id:` = seq, resumable by `Last-Event-ID`. */
export function createSseServer({ broker, settings }: ServerContext): TransportServer {
  const streamsByChannel = new Map<string, Set<ServerResponse>>();

  broker.subscribe((entry: BrokerEntry) => {
    const streams = streamsByChannel.get(entry.channel);
    if (streams === undefined) return;
    const frame = messageFrame(entry);
    for (const res of streams) res.write(frame);
  });

  const heartbeat = setInterval(() => {
    for (const streams of streamsByChannel.values()) for (const res of streams) res.write(HEARTBEAT_FRAME);
  }, settings.heartbeatMs);
  heartbeat.unref();

  return {
    handleRequest(req, res, query) {
      const channel = channelFromQuery(query);
      const since = resumeCursor(req, query);
      const backlog = broker.readAfter(channel, since);
      let head = retryFrame(settings.sseRetryMs);
      if (backlog.gap !== undefined) head += gapFrame(backlog.gap);
      for (const entry of backlog.entries) head += messageFrame(entry);
      res.writeHead(200, STREAM_HEADERS);
      res.write(head);

      let streams = streamsByChannel.get(channel);
      if (streams === undefined) streamsByChannel.set(channel, (streams = new Set()));
      streams.add(res);
      res.on('close', () => {
        streams.delete(res);
        if (streams.size === 0 && streamsByChannel.get(channel) === streams) streamsByChannel.delete(channel);
      });
    },

    close() {
      clearInterval(heartbeat);
      for (const streams of streamsByChannel.values()) for (const res of streams) res.end();
      streamsByChannel.clear();
    },
  };
}
