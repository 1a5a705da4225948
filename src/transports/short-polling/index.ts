import type { Transport } from '../transport.js';
import { ShortPollingClient } from './client.js';
import { createShortPollingServer } from './server.js';

export const shortPolling: Transport = {
  name: 'short-polling',
  title: 'Short polling',
  path: '/poll',
  upgrade: false,
  createServer: createShortPollingServer,
  createClient: (options) => new ShortPollingClient(options),
};
