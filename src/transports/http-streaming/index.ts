import { join } from 'node:path';
import { sourceFolder } from '../../core/paths.js';
import type { Transport } from '../transport.js';
import { HttpStreamingClient } from './client.js';
import { httpStreamingModel } from './model.js';
import { createHttpStreamingServer } from './server.js';

export const httpStreaming: Transport = {
  name: 'http-streaming',
  title: 'HTTP streaming',
  aliases: ['streaming', 'stream', 'http-stream', 'ndjson'],
  path: '/stream',
  upgrade: false,
  http2: true,
  settings: ['reconnectDelayMs', 'heartbeatMs'],
  comparedFields: [],
  modelChecks: httpStreamingModel,
  modelInputs: ['e'],
  demo: {
    how: "<code>fetch('/stream?since=N')</code> read with <code>response.body.getReader()</code>: one JSON message per line, as it arrives; asked again from the cursor when it ends.",
    script: join(sourceFolder(import.meta.url), 'demo.js'),
  },
  createServer: createHttpStreamingServer,
  createClient: (options) => new HttpStreamingClient(options),
};
