import type { Transport } from '../transport.js';
import { WebSocketClient } from './client.js';
import { createWebSocketServer } from './server.js';

export const webSocket: Transport = {
  name: 'websocket',
  title: 'WebSocket',
  path: '/ws',
  upgrade: true,
  createServer: createWebSocketServer,
  createClient: (options) => new WebSocketClient(options),
};
