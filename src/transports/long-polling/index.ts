import { join } from 'node:path';
import { sourceFolder } from '../../core/paths.js';
import type { Transport } from '../transport.js';
import { LongPollingClient } from './client.js';
import { longPollingModel } from './model.js';
import { createLongPollingServer } from './server.js';

export const longPolling: Transport = {
  name: 'long-polling',
  title: 'Long polling',
  aliases: ['long-poll', 'longpoll', 'lp', 'comet'],
  path: '/long-poll',
  upgrade: false,
  http2: true,
  settings: ['longPollTimeoutMs', 'reconnectDelayMs'],
  comparedFields: ['longPollTimeoutMs'],
  modelChecks: longPollingModel,
  modelInputs: ['h200', 'h204', 'e'],
  // A cursor one message behind, and timeout=0 besides: every poll is answered at once with that
  // message, as a held poll is when a publish releases it (a held poll would measure the publish rate).
  capacityProbe: (channel, lastSeq) => ({
    path: `/long-poll?ch=${channel}&since=${lastSeq - 1}&timeout=0`,
    status: 200,
    messages: 1,
  }),
  demo: {
    how: "A <code>fetch('/long-poll?since=N')</code> the server holds until a message arrives or 25 s pass, then re-issued.",
    script: join(sourceFolder(import.meta.url), 'demo.js'),
  },
  createServer: createLongPollingServer,
  createClient: (options) => new LongPollingClient(options),
};
