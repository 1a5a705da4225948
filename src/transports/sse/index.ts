import { join } from 'node:path';
import { sourceFolder } from '../../core/paths.js';
import type { Transport } from '../transport.js';
import { SseClient } from './client.js';
import { EventSourcePackageClient } from './eventsource-client.js';
import { sseModel } from './model.js';
import { createSseServer } from './server.js';

export const sse: Transport = {
  name: 'sse',
  title: 'Server-Sent Events',
  aliases: ['server-sent-events', 'eventsource', 'event-source', 'event-stream'],
  path: '/sse',
  upgrade: false,
  http2: true,
  settings: ['reconnectDelayMs', 'heartbeatMs', 'clientVariant'],
  comparedFields: ['sseRetryMs', 'sseClient'],
  modelChecks: sseModel,
  modelInputs: ['e'],
  demo: {
    how: "<code>new EventSource('/sse')</code>: <code>id:</code> per message, <code>retry:</code>, a named <code>gap</code> event, and the browser's own reconnect with <code>Last-Event-ID</code>.",
    script: join(sourceFolder(import.meta.url), 'demo.js'),
  },
  createServer: createSseServer,
  // `--sse-client eventsource`: the eventsource package, for fidelity; the lean parser client otherwise.
  // A profile's dialect is spoken by the parser client (the eventsource package's client speaks the wire contract).
  createClient: (options) =>
    options.clientVariant === 'eventsource' && options.dialect === undefined
      ? new EventSourcePackageClient(options)
      : new SseClient(options),
};
