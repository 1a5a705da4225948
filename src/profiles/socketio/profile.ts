import { dirname } from 'node:path';
import { builtModule } from '../../core/paths.js';
import type { TransportName } from '../../document/scenario.js';
import type { SubscribeDialect } from '../../transports/dialect.js';
import type { Profile } from '../profile.js';

export const SOCKETIO = 'socketio';
export const SOCKETIO_RECOVERY = 'socketio-recovery';

/** Socket.IO speaks its own protocol: only the path (the handshake's, with the room) is read. */
const SUBSCRIBE: SubscribeDialect = {
  protocol: 'socket.io',
  path: '/socket.io/?ch={ch}',
  headers: {},
  subprotocol: undefined,
  frameMeta: 'none',
  cursor: 'none',
  cursorParam: undefined,
  decode: 'envelope',
  nothingNew: [],
  askAgain: 'never',
  epochs: false,
};

/**
 * The Socket.IO relay (server.ts beside this file), a code profile: the same interfaces a YAML
 * profile fills in, with socket.io-client as the subscriber. Long polling is Engine.IO's
 * polling transport alone, WebSocket its websocket transport alone; neither upgrades.
 */
function socketIoProfile(recovery: boolean): Profile {
  const server = builtModule('profiles/socketio/server.js');
  return {
    name: recovery ? SOCKETIO_RECOVERY : SOCKETIO,
    description: recovery
      ? 'Socket.IO 4 relay with connection state recovery (Node)'
      : 'Socket.IO 4 relay, no recovery (Node)',
    source: 'built-in',
    techniques: new Map<TransportName, SubscribeDialect>([
      ['long-polling', SUBSCRIBE],
      ['websocket', SUBSCRIBE],
    ]),
    publish: {
      method: 'POST',
      path: '/publish/{ch}',
      contentType: 'application/json',
      headers: {},
      numbering: 'publisher',
    },
    figures: 'process-tree',
    server: {
      command: [process.execPath, server, '{port}', recovery ? 'recovery' : 'plain'],
      profileDir: dirname(server),
      configTemplate: undefined,
      readyPath: '/ready',
      stopSignal: 'SIGTERM',
      requiredFiles: [server],
      install: 'npm run build',
      tls: undefined,
    },
  };
}

/** The code profiles that ship with im-bench, by name. */
export const CODE_PROFILES: Readonly<Record<string, () => Profile>> = {
  [SOCKETIO]: () => socketIoProfile(false),
  [SOCKETIO_RECOVERY]: () => socketIoProfile(true),
};
