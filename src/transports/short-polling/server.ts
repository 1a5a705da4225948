import { channelFromQuery, subscribeCursor } from '../../broker/request-params.js';
import { batchAfter, sendBatch } from '../shared/poll-batch.js';
import type { ServerContext, TransportServer } from '../transport.js';

/** `GET /poll?since=N`: whatever the log holds after N, now (200), or nothing new (204). */
export function createShortPollingServer({ broker, burnCopies: burn }: ServerContext): TransportServer {
  return {
    handleRequest(_req, res, query) {
      const channel = channelFromQuery(query);
      const cursor = subscribeCursor(query, broker.epoch);
      sendBatch(res, batchAfter(broker, channel, cursor), burn);
    },
    reaped: () => 0,

    shed: () => 0,
    close() {},
  };
}
