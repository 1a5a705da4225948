import { join } from 'node:path';
import { sourceFolder } from '../../core/paths.js';
import type { Transport } from '../transport.js';
import { ShortPollingClient } from './client.js';
import { shortPollingModel } from './model.js';
import { createShortPollingServer } from './server.js';

export const shortPolling: Transport = {
  name: 'short-polling',
  title: 'Short polling',
  aliases: ['short-poll', 'polling', 'poll', 'sp'],
  path: '/poll',
  upgrade: false,
  http2: true,
  settings: ['pollIntervalMs'],
  comparedFields: ['pollIntervalMs'],
  // A client sees a message only at its next poll, up to an interval later: the drain must cover that.
  drainMs: (scenario) => Math.max(scenario.drainMs, 2 * scenario.pollIntervalMs),
  modelChecks: shortPollingModel,
  modelInputs: ['h200', 'h204', 'e'],
  // A caught-up cursor, answered 204: the common "nothing new" (answers that carry messages cost more).
  capacityProbe: (channel, lastSeq) => ({ path: `/poll?ch=${channel}&since=${lastSeq}`, status: 204, messages: 0 }),
  demo: {
    how: "A timed <code>fetch('/poll?since=N')</code> every second; <code>204</code> means nothing new.",
    script: join(sourceFolder(import.meta.url), 'demo.js'),
  },
  createServer: createShortPollingServer,
  createClient: (options) => new ShortPollingClient(options),
};
