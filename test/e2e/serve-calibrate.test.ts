import { once } from 'node:events';
import WebSocket from 'ws';
import { describe, expect, it } from 'vitest';
import { defer } from '../helpers/cleanup.js';
import { spawnServe } from '../helpers/cli.js';
import { httpRequest, wsUrl } from '../helpers/http.js';
import { waitFor } from '../helpers/wait.js';

interface Received {
  seq: number;
  data: string;
  at: number;
}

/** A WebSocket subscriber that keeps every envelope it is sent, with when it arrived (performance.now). */
async function subscriber(url: string): Promise<{ socket: WebSocket; received: Received[] }> {
  const socket = new WebSocket(wsUrl(url));
  defer(() => socket.terminate());
  const received: Received[] = [];
  socket.on('message', (data) => {
    const message = JSON.parse(data.toString()) as { seq?: number; data?: string };
    if (message.seq !== undefined) received.push({ seq: message.seq, data: message.data!, at: performance.now() });
  });
  await once(socket, 'open');
  return { socket, received };
}

async function cpuSeconds(url: string): Promise<number> {
  return (JSON.parse((await httpRequest(`${url}/stats`)).text) as { cpuSeconds: { total: number } }).cpuSeconds.total;
}

function publish(url: string, data: string): Promise<{ status: number; text: string }> {
  return httpRequest(`${url}/publish`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ data }),
  });
}

describe('serve --calibrate-delay', () => {
  it('holds every publish at least the delay, answering after it, and keeps them in arrival order', async () => {
    const serve = await spawnServe(['--transport', 'websocket', '--calibrate-delay', '40ms']);
    const { socket, received } = await subscriber(serve.url);
    const sentAt = new Map<string, number>();
    // Five publishes on one socket, back to back: all held at once, in the order they arrived.
    for (let i = 0; i < 5; i++) {
      sentAt.set(`m${i}`, performance.now());
      socket.send(JSON.stringify({ type: 'publish', ch: 'default', from: 'c1', data: `m${i}`, t: '1' }));
    }
    await waitFor(() => received.length === 5, 'the five messages');
    expect(received.map((message) => [message.seq, message.data])).toEqual(
      [0, 1, 2, 3, 4].map((i) => [i + 1, `m${i}`]),
    );
    for (const message of received) expect(message.at - sentAt.get(message.data)!).toBeGreaterThanOrEqual(40);

    const started = performance.now();
    const answer = await publish(serve.url, 'over http');
    expect(performance.now() - started).toBeGreaterThanOrEqual(40);
    expect([answer.status, JSON.parse(answer.text).seq]).toEqual([202, 6]);
    await waitFor(() => received.length === 6, 'the sixth message');
  });

  it('still refuses a bad publish at once', async () => {
    const serve = await spawnServe(['--transport', 'sse', '--calibrate-delay', '40ms']);
    const started = performance.now();
    const answer = await httpRequest(`${serve.url}/publish`, { method: 'POST', body: '{"data":1}' });
    expect(answer.status).toBe(400);
    expect(performance.now() - started).toBeLessThan(40);
  });
});

describe('serve --calibrate-cpu', () => {
  it('burns the amount per delivered copy: each of 5 WebSocket subscribers, for every message', async () => {
    const serve = await spawnServe(['--transport', 'websocket', '--calibrate-cpu', '2ms']);
    const clients = await Promise.all(Array.from({ length: 5 }, () => subscriber(serve.url)));
    const before = await cpuSeconds(serve.url);
    for (let i = 0; i < 10; i++) await publish(serve.url, `m${i}`);
    await waitFor(() => clients.every((client) => client.received.length === 10), 'every copy');
    // 5 copies × 10 messages × 2 ms; a little is allowed for the clock checks around the spin.
    expect(await cpuSeconds(serve.url)).toBeGreaterThanOrEqual(before + 0.095);
  });

  it('burns it for each answered long poll, one copy per envelope', async () => {
    const serve = await spawnServe(['--transport', 'long-polling', '--calibrate-cpu', '5ms']);
    const before = await cpuSeconds(serve.url);
    for (let seq = 0; seq < 5; seq++) {
      const polls = Array.from({ length: 3 }, () => httpRequest(`${serve.url}/long-poll?since=${seq}&timeout=5000`));
      // The polls must be held before the publish for each to be answered with the one new message.
      await new Promise((resolve) => setTimeout(resolve, 50));
      await publish(serve.url, `m${seq}`);
      for (const poll of await Promise.all(polls)) expect(JSON.parse(poll.text)).toHaveLength(1);
    }
    // 3 polls × 5 messages × 5 ms.
    expect(await cpuSeconds(serve.url)).toBeGreaterThanOrEqual(before + 0.074);
  });
});
