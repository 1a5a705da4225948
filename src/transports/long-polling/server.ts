import type { ServerResponse } from 'node:http';
import type { BrokerEntry } from '../../broker/broker.js';
import { sendNoContent } from '../../broker/http-util.js';
import { type Cursor, channelFromQuery, subscribeCursor, timeoutFromQuery } from '../../broker/request-params.js';
import { batchAfter, sendBatch, singleEntryBatch, type Batch } from '../shared/poll-batch.js';
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
export function createLongPollingServer({ broker, settings, burnCopies: burn }: ServerContext): TransportServer {
  const waitersByChannel = new Map<string, Set<Waiter>>();

  function forget(channel: string, waiter: Waiter): void {
    clearTimeout(waiter.timer);
    const waiters = waitersByChannel.get(channel);
    waiters?.delete(waiter);
    if (waiters?.size === 0) waitersByChannel.delete(channel);
  }

  broker.subscribe((entry: BrokerEntry) => {
    const waiters = waitersByChannel.get(entry.channel);
    if (waiters === undefined) return;
    // The waiters leave together; the few with a cursor ahead of this entry wait on in a new set.
    waitersByChannel.delete(entry.channel);
    let single: Batch | undefined;
    for (const waiter of waiters) {
      if (entry.seq <= waiter.since) {
        let remaining = waitersByChannel.get(entry.channel);
        if (remaining === undefined) waitersByChannel.set(entry.channel, (remaining = new Set()));
        remaining.add(waiter);
        continue;
      }
      clearTimeout(waiter.timer);
      // Nearly every waiter was waiting for exactly this entry: that answer is encoded once.
      const body =
        waiter.since === entry.seq - 1
          ? (single ??= singleEntryBatch(entry))
          : batchAfter(broker, entry.channel, { since: waiter.since, reset: false });
      sendBatch(waiter.res, body, burn);
    }
  });

  function parsePoll(query: URLSearchParams): { channel: string; cursor: Cursor; timeoutMs: number } {
    return {
      channel: channelFromQuery(query),
      cursor: subscribeCursor(query, broker.epoch),
      timeoutMs: timeoutFromQuery(query, settings.longPollTimeoutMs),
    };
  }

  return {
    handleRequest(_req, res, query) {
      const { channel, cursor, timeoutMs } = parsePoll(query);
      const { since } = cursor;
      const ready = batchAfter(broker, channel, cursor);
      if (ready !== undefined || timeoutMs === 0) {
        sendBatch(res, ready, burn);
        return;
      }
      const waiter: Waiter = {
        res,
        since,
        timer: setTimeout(() => {
          forget(channel, waiter);
          sendNoContent(res);
        }, timeoutMs),
      };
      let waiters = waitersByChannel.get(channel);
      if (waiters === undefined) waitersByChannel.set(channel, (waiters = new Set()));
      waiters.add(waiter);
      res.on('close', () => forget(channel, waiter));
    },

    // Never held: what the log holds after the cursor now (200), or nothing new (204), as with timeout=0.
    handleHead(_req, res, query) {
      const { channel, cursor } = parsePoll(query);
      sendBatch(res, batchAfter(broker, channel, cursor));
    },

    reaped: () => 0,

    shed: () => 0,

    close() {
      for (const [channel, waiters] of waitersByChannel) {
        for (const waiter of waiters) {
          forget(channel, waiter);
          sendNoContent(waiter.res, { connection: 'close' });
        }
      }
    },
  };
}
