import { describe, expect, it } from 'vitest';
import { httpRequest } from '../helpers/http.js';
import { publishRange, startServer } from '../helpers/server.js';

describe('short polling', () => {
  it('answers 204 with no body when nothing is newer than the cursor', async () => {
    const server = await startServer();
    const empty = await httpRequest(`${server.url}/poll?since=0`);
    expect(empty.status).toBe(204);
    expect(empty.text).toBe('');

    await publishRange(server.url, 1, 2);
    expect((await httpRequest(`${server.url}/poll?since=2`)).status).toBe(204);
    expect((await httpRequest(`${server.url}/poll?since=50`)).status).toBe(204);
  });

  it('answers 200 with a JSON array of the envelopes after the cursor', async () => {
    const server = await startServer();
    await publishRange(server.url, 1, 3);
    const answer = await httpRequest(`${server.url}/poll?since=1`);
    expect(answer.status).toBe(200);
    expect(answer.headers['content-type']).toMatch(/^application\/json/);
    const batch = JSON.parse(answer.text) as Array<{ seq: number; data: string }>;
    expect(batch.map((envelope) => [envelope.seq, envelope.data])).toEqual([
      [2, 'm2'],
      [3, 'm3'],
    ]);
  });

  it('treats a missing since as 0 and keeps channels apart', async () => {
    const server = await startServer();
    await publishRange(server.url, 1, 1);
    await fetch(`${server.url}/publish`, { method: 'POST', body: JSON.stringify({ ch: 'room', data: 'r1' }) });
    const all = JSON.parse((await httpRequest(`${server.url}/poll`)).text) as unknown[];
    const room = JSON.parse((await httpRequest(`${server.url}/poll?ch=room`)).text) as unknown[];
    expect(all).toEqual([expect.objectContaining({ seq: 1, ch: 'default', data: 'm1' })]);
    expect(room).toEqual([expect.objectContaining({ seq: 1, ch: 'room', data: 'r1' })]);
  });

  it('puts the gap marker first in the array', async () => {
    const server = await startServer({ ringSize: 2 });
    await publishRange(server.url, 1, 4);
    const batch = JSON.parse((await httpRequest(`${server.url}/poll?since=0`)).text) as unknown[];
    expect(batch).toEqual([
      { gap: { from: 1, to: 2 } },
      expect.objectContaining({ seq: 3 }),
      expect.objectContaining({ seq: 4 }),
    ]);
  });

  it('answers a cursor of another log whose ring wrapped with a reset, the gap and the envelopes, as valid JSON', async () => {
    const server = await startServer({ ringSize: 2 });
    await publishRange(server.url, 1, 4);
    for (const path of ['/poll', '/long-poll']) {
      const answer = await httpRequest(`${server.url}${path}?since=7&epoch=another-log`);
      expect(JSON.parse(answer.text), path).toEqual([
        { reset: { epoch: server.broker.epoch } },
        { gap: { from: 1, to: 2 } },
        expect.objectContaining({ seq: 3 }),
        expect.objectContaining({ seq: 4 }),
      ]);
    }
  });
});
