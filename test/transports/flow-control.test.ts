import { once } from 'node:events';
import { connect } from 'node:net';
import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { ReferenceServer } from '../../src/server/reference-server.js';
import { defer } from '../helpers/cleanup.js';
import { startServer } from '../helpers/server.js';
import { sleep, waitFor } from '../helpers/wait.js';

const MESSAGES = 2_000;
const PAYLOAD = 'x'.repeat(16 * 1024);

function publishMany(server: ReferenceServer): void {
  for (let i = 0; i < MESSAGES; i++) server.broker.publish({ ch: 'default', from: null, data: PAYLOAD, t: '1' });
}

/** An SSE subscriber on a raw socket that can stop reading, as a stalled browser tab does. */
async function pausedSseReader(
  server: ReferenceServer,
): Promise<{ resume(): void; text(): string; socket: ReturnType<typeof connect> }> {
  const socket = connect(server.port, '127.0.0.1');
  defer(() => socket.destroy());
  await once(socket, 'connect');
  socket.write('GET /sse?since=0 HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n');
  let received = '';
  socket.on('data', (chunk: Buffer) => (received += chunk.toString('latin1')));
  await waitFor(() => received.includes('retry:'), 'the stream to open');
  socket.pause();
  return { resume: () => socket.resume(), text: () => received, socket };
}

describe('flow control on streams', () => {
  it('SSE: a reader that stops reading is fed from the ring when it resumes, with a gap for what fell out', async () => {
    const server = await startServer({ ringSize: 100 });
    const reader = await pausedSseReader(server);
    publishMany(server);
    reader.resume();
    await waitFor(() => reader.text().includes(`id: ${MESSAGES}\n`), 'the last message', 10_000);
    const ids = [...reader.text().matchAll(/^id: (\d+)$/gm)].map((match) => Number(match[1]));
    // Everything queued unboundedly would have been all 2,000, in order, with no gap.
    expect(ids.length).toBeLessThan(MESSAGES / 2);
    expect(reader.text()).toMatch(/event: gap\ndata: \{"from":\d+,"to":\d+\}/);
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    expect(ids.slice(-100)).toEqual(Array.from({ length: 100 }, (_, i) => MESSAGES - 99 + i));
  });

  it('WebSocket: a paused socket is fed from the ring when it resumes, with a gap for what fell out', async () => {
    const server = await startServer({ ringSize: 100 });
    const socket = new WebSocket(`${server.url.replace('http', 'ws')}/ws?since=0`);
    defer(() => socket.terminate());
    const frames: string[] = [];
    socket.on('message', (data) => frames.push(data.toString()));
    await once(socket, 'open');
    socket.pause();
    publishMany(server);
    await sleep(100);
    socket.resume();
    await waitFor(() => frames.length > 0 && frames.at(-1)!.includes(`"seq":${MESSAGES},`), 'the last message', 10_000);
    const seqs = frames.map((frame) => (JSON.parse(frame) as { seq?: number }).seq).filter((seq) => seq !== undefined);
    expect(seqs.length).toBeLessThan(MESSAGES / 2);
    expect(frames.some((frame) => frame.startsWith('{"gap":'))).toBe(true);
    expect(seqs.slice(-100)).toEqual(Array.from({ length: 100 }, (_, i) => MESSAGES - 99 + i));
  });

  it('SSE: sheds a reader whose queue has not drained for two heartbeats, and counts it', async () => {
    const server = await startServer({ ringSize: 100, heartbeatMs: 50 });
    const reader = await pausedSseReader(server);
    // Keep publishing, so the kernel's socket buffers fill and the server's queue stops draining.
    const publishing = setInterval(() => {
      for (let i = 0; i < 50; i++) server.broker.publish({ ch: 'default', from: null, data: PAYLOAD, t: '1' });
    }, 10);
    defer(() => clearInterval(publishing));
    await waitFor(() => server.stats().shed.sse === 1, 'the stalled reader to be shed', 3_000);
    clearInterval(publishing);
    reader.resume();
    await once(reader.socket, 'close');
    expect(server.stats().connections.sse).toBe(0);
  });
});
