// The Socket.IO 4 relay that the socketio profiles start: the minimal server people write with
// socket.io, knowing nothing of im-bench. A client joins the room its handshake names
// (`/socket.io/?ch=CH`); whatever JSON is POSTed to /publish/CH is emitted to that room as a
// `message` event, over whichever transport each client chose (Engine.IO polling or WebSocket).
// With `recovery`, Socket.IO's connection state recovery is on: a client that reconnects within
// two minutes gets the events it missed, as long as this process lives.
//   node server.js PORT plain|recovery
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { Server } from 'socket.io';

const MAX_BODY_BYTES = 64 * 1024;
/** How long Socket.IO keeps a disconnected client's missed events: its documented default. */
const RECOVERY_WINDOW_MS = 2 * 60_000;

const port = Number(process.argv[2] ?? 0);
const recovery = process.argv[3] === 'recovery';

function readBody(request: IncomingMessage): Promise<string | undefined> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
    });
    request.on('end', () => resolve(size <= MAX_BODY_BYTES ? Buffer.concat(chunks).toString('utf8') : undefined));
    request.on('error', () => resolve(undefined));
  });
}

async function publish(request: IncomingMessage, response: ServerResponse, channel: string): Promise<void> {
  const body = await readBody(request);
  if (body === undefined) {
    response.writeHead(413).end();
    return;
  }
  let message: unknown;
  try {
    message = JSON.parse(body);
  } catch {
    response.writeHead(400, { 'content-type': 'text/plain' }).end('the body is not JSON\n');
    return;
  }
  io.to(channel).emit('message', message);
  response.writeHead(204).end();
}

/** The request's path, or undefined when it does not parse (a bad escape), which is answered 400. */
function pathOf(request: IncomingMessage): { path: string; channel: string | undefined } | undefined {
  try {
    const path = new URL(request.url ?? '/', 'http://relay').pathname;
    const route = /^\/publish\/([^/]+)$/.exec(path);
    return { path, channel: route === null ? undefined : decodeURIComponent(route[1]!) };
  } catch {
    return undefined;
  }
}

const http = createServer((request, response) => {
  const parsed = pathOf(request);
  if (parsed === undefined) {
    response.writeHead(400).end();
  } else if (request.method === 'GET' && parsed.path === '/ready') {
    response.writeHead(200, { 'content-type': 'text/plain' }).end('ready\n');
  } else if (request.method === 'POST' && parsed.channel !== undefined) {
    void publish(request, response, parsed.channel);
  } else {
    response.writeHead(404).end();
  }
});

const io = new Server(http, {
  serveClient: false,
  ...(recovery ? { connectionStateRecovery: { maxDisconnectionDuration: RECOVERY_WINDOW_MS } } : {}),
});

io.on('connection', (socket) => {
  // A recovered socket is back in its rooms already; joining again changes nothing.
  const { ch } = socket.handshake.query;
  if (typeof ch === 'string') void socket.join(ch);
});

http.listen(port, '127.0.0.1');

const stop = (): void => {
  void io.close(() => process.exit(0));
  setTimeout(() => process.exit(0), 2_000).unref();
};
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
