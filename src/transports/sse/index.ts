import type { Transport } from '../transport.js';
import { SseClient } from './client.js';
import { EventSourcePackageClient } from './eventsource-client.js';
import { createSseServer } from './server.js';

export const sse: Transport = {
  name: 'sse',
  title: 'Server-Sent Events',
  path: '/sse',
  upgrade: false,
  createServer: createSseServer,
  createClient: (options) =>
    options.sseClient === 'eventsource' ? new EventSourcePackageClient(options) : new SseClient(options),
};
