import { once } from 'node:events';
import { createServer, type AddressInfo, type Socket } from 'node:net';
import { defer } from './cleanup.js';

/**
 * A TCP server that answers each request it reads with bytes the test writes, so answers can
 * be malformed, unframed or cut short. `answer(request, socket)` is called once per request
 * head (split on the blank line).
 */
export async function rawServer(
  answer: (request: string, socket: Socket, index: number) => void,
): Promise<{ url: string; connections: number; requests: string[] }> {
  const state = { url: '', connections: 0, requests: [] as string[] };
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    state.connections++;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => {});
    let pending = '';
    socket.on('data', (chunk: Buffer) => {
      pending += chunk.toString('latin1');
      let end: number;
      while ((end = pending.indexOf('\r\n\r\n')) !== -1) {
        const request = pending.slice(0, end + 4);
        pending = pending.slice(end + 4);
        state.requests.push(request);
        answer(request, socket, state.requests.length - 1);
      }
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  defer(async () => {
    for (const socket of sockets) socket.destroy();
    server.close();
    await once(server, 'close');
  });
  state.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return state;
}
