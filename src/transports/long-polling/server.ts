import type { ServerResponse } from 'node:http';
import type { BrokerEntry } from '../../server/broker.js';
import { sendNoContent } from '../../server/http-util.js';
import { channelFromQuery, sinceFromQuery, timeoutFromQuery } from '../../server/request-params.js';
import { encodeBatch, sendBatch } from '../poll-batch.js';
import type { ServerContext, TransportServer } from '../transport.js';

interface Waiter {
  res: ServerResponse;
  since: number;
  timer: NodeJS.Timeout;
}

/**
 * `GET /long-poll?since=N&timeout=MS`: answered at once when the log holds something after N,
 * else held until the next publish on the channel (200) or the timeout (204).
 */
export function createLongPollingServer({ broker, settings }: ServerContext): TransportServer {
  const waitersByChannel = new Map<string, Set<Waiter>>();

  function release(channel: string, waiter: Waiter): void {
    clearTimeout(waiter.timer);
    const waiters = waitersByChannel.get(channel);
    waiters?.delete(waiter);
    if (waiters?.size === 0) waitersByChannel.delete(channel);
  }

  broker.subscribe((entry: BrokerEntry) => {
    const waiters = waitersByChannel.get(entry.channel);
    if (waiters === undefined) return;
    // Nearly every waiter was waiting for exactly this entry: encode that answer once.
    const single = `[${entry.json}]`;
    for (const waiter of waiters) {
      if (entry.seq <= waiter.since) continue;
      release(entry.channel, waiter);
      const body = waiter.since === entry.seq - 1 ? single : encodeBatch(broker.readAfter(entry.channel, waiter.since));
      sendBatch(waiter.res, body);
    }
  });

  return {
    handleRequest(_req, res, query) {
      const channel = channelFromQuery(query);
      const since = sinceFromQuery(query);
      const timeoutMs = timeoutFromQuery(query, settings.longPollTimeoutMs);
      const ready = encodeBatch(broker.readAfter(channel, since));
      if (ready !== undefined || timeoutMs === 0) {
        sendBatch(res, ready);
        return;
      }
      const waiter: Waiter = {
        res,
        since,
        timer: setTimeout(() => {
          release(channel, waiter);
          sendNoContent(res);
        }, timeoutMs),
      };
      let waiters = waitersByChannel.get(channel);
      if (waiters === undefined) waitersByChannel.set(channel, (waiters = new Set()));
      waiters.add(waiter);
      res.on('close', () => release(channel, waiter));
    },

    close() {
      for (const [channel, waiters] of waitersByChannel) {
        for (const waiter of waiters) {
          release(channel, waiter);
          sendNoContent(waiter.res, { connection: 'close' });
        }
      }
    },
  };
}
