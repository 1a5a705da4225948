import { once } from 'node:events';
import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { getTransport } from '../../src/transports/registry.js';
import { defer } from '../helpers/cleanup.js';
import { openClient } from '../helpers/clients.js';
import { wsUrl } from '../helpers/http.js';
import { startServer } from '../helpers/server.js';
import { waitFor } from '../helpers/wait.js';
import { TRANSPORT_NAMES } from '../../src/transports/registry.js';

async function connect(
  url: string,
  options: WebSocket.ClientOptions = {},
): Promise<{ socket: WebSocket; frames: string[] }> {
  const socket = new WebSocket(url, options);
  defer(() => socket.terminate());
  const frames: string[] = [];
  socket.on('message', (data) => frames.push(data.toString()));
  await once(socket, 'open');
  return { socket, frames };
}

function closeCode(socket: WebSocket): Promise<number> {
  return new Promise((resolve) => socket.once('close', (code) => resolve(code)));
}

describe('WebSocket', () => {
  it('publishes a {"type":"publish"} frame to every technique, the sender included', async () => {
    const server = await startServer();
    const { socket, frames } = await connect(wsUrl(server.url));
    const sse = await openClient(getTransport('sse'), server.url);
    const poll = await openClient(getTransport('short-polling'), server.url);
    socket.send(JSON.stringify({ type: 'publish', data: 'hello', from: 'c1', t: '42' }));
    await waitFor(() => frames.length === 1, 'the echo');
    await sse.collector.waitForCount(1);
    await poll.collector.waitForCount(1);
    const expected = { seq: 1, t: '42', ch: 'default', from: 'c1', data: 'hello' };
    expect(JSON.parse(frames[0]!)).toEqual(expected);
    expect(sse.collector.envelopes).toEqual([expected]);
    expect(poll.collector.envelopes).toEqual([expected]);
  });

  it('answers a frame that is not a publish request with an error frame and stays open', async () => {
    const server = await startServer();
    const { socket, frames } = await connect(wsUrl(server.url));
    socket.send('not json');
    socket.send(JSON.stringify({ type: 'subscribe' }));
    socket.send(JSON.stringify({ type: 'publish', data: 7 }));
    await waitFor(() => frames.length === 3, 'three error frames');
    expect(frames.map((frame) => (JSON.parse(frame) as { error: { code: string } }).error.code)).toEqual([
      'bad_json',
      'bad_message',
      'bad_data',
    ]);
    expect(socket.readyState).toBe(WebSocket.OPEN);
    expect(server.broker.published).toBe(0);
  });

  it('closes with 1009 on a message over --max-message, and keeps serving others', async () => {
    const server = await startServer({ maxMessageBytes: 1024 });
    const { socket } = await connect(wsUrl(server.url));
    const closed = closeCode(socket);
    socket.send(JSON.stringify({ type: 'publish', data: 'x'.repeat(2048) }));
    expect(await closed).toBe(1009);
    const other = await connect(wsUrl(server.url));
    other.socket.send(JSON.stringify({ type: 'publish', data: 'small' }));
    await waitFor(() => other.frames.length === 1, 'the small message');
  });

  it('closes with 1003 on a binary frame', async () => {
    const server = await startServer();
    const { socket } = await connect(wsUrl(server.url));
    const closed = closeCode(socket);
    socket.send(Buffer.from([1, 2, 3]));
    expect(await closed).toBe(1003);
  });

  it('pings every heartbeat and reaps a peer that stops answering', async () => {
    const server = await startServer({ heartbeatMs: 50 });
    const { socket } = await connect(wsUrl(server.url), { autoPong: false });
    let pings = 0;
    socket.on('ping', () => pings++);
    const closed = closeCode(socket);
    await waitFor(() => pings >= 1, 'a ping', 2_000);
    expect(await closed).toBe(1006);
    await waitFor(() => server.stats().connections.websocket === 0, 'the server to drop the dead peer', 2_000);
    expect(server.stats().reaped).toEqual(
      Object.fromEntries(TRANSPORT_NAMES.map((name) => [name, name === 'websocket' ? 1 : 0])),
    );
  });

  it('closes its sockets with 1001 when the server shuts down', async () => {
    const server = await startServer();
    const { socket } = await connect(wsUrl(server.url));
    const closed = closeCode(socket);
    await server.close();
    expect(await closed).toBe(1001);
  });
});
