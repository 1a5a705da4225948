import type { Transport } from '../transport.js';
import { LongPollingClient } from './client.js';
import { createLongPollingServer } from './server.js';

export const longPolling: Transport = {
  name: 'long-polling',
  title: 'Long polling',
  path: '/long-poll',
  upgrade: false,
  createServer: createLongPollingServer,
  createClient: (options) => new LongPollingClient(options),
};
