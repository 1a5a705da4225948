import { join } from 'node:path';
import { sourceFolder } from '../../core/paths.js';
import type { Transport } from '../transport.js';
import { WebSocketClient } from './client.js';
import { webSocketModel } from './model.js';
import { createWebSocketServer } from './server.js';

export const webSocket: Transport = {
  name: 'websocket',
  title: 'WebSocket',
  aliases: ['ws', 'wss', 'websockets', 'web-sockets', 'socket'],
  path: '/ws',
  upgrade: true,
  settings: ['reconnectDelayMs', 'heartbeatMs'],
  comparedFields: [],
  modelChecks: webSocketModel,
  modelInputs: ['e'],
  demo: {
    how: "<code>new WebSocket('/ws?since=N')</code>: the server pushes each message as a frame; what this page sends comes back as an echo.",
    script: join(sourceFolder(import.meta.url), 'demo.js'),
  },
  createServer: createWebSocketServer,
  createClient: (options) => new WebSocketClient(options),
};
