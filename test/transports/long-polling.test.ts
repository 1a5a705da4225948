import { performance } from 'node:perf_hooks';
import { describe, expect, it } from 'vitest';
import { httpRequest } from '../helpers/http.js';
import { publish, publishRange, startServer } from '../helpers/server.js';
import { sleep, waitFor } from '../helpers/wait.js';

describe('long polling', () => {
  it('answers 204 when its timeout passes with nothing new', async () => {
    const server = await startServer();
    const started = performance.now();
    const answer = await httpRequest(`${server.url}/long-poll?since=0&timeout=300`);
    const elapsed = performance.now() - started;
    expect(answer.status).toBe(204);
    expect(elapsed).toBeGreaterThanOrEqual(295);
    expect(elapsed).toBeLessThan(1_000);
  });

  it('answers at once when the log already holds something after the cursor', async () => {
    const server = await startServer();
    await publishRange(server.url, 1, 2);
    const started = performance.now();
    const answer = await httpRequest(`${server.url}/long-poll?since=1&timeout=10000`);
    expect(performance.now() - started).toBeLessThan(500);
    expect(JSON.parse(answer.text)).toEqual([expect.objectContaining({ seq: 2, data: 'm2' })]);
  });

  it('releases a held poll within a few milliseconds of a publish', async () => {
    const server = await startServer();
    let answeredAt = 0;
    const held = httpRequest(`${server.url}/long-poll?since=0&timeout=10000`).then((answer) => {
      answeredAt = performance.now();
      return answer;
    });
    await waitFor(() => server.stats().requests['long-polling'] === 1, 'the poll to be held');
    await sleep(100);
    expect(answeredAt).toBe(0);

    const publishedAt = performance.now();
    server.broker.publish({ ch: 'default', from: null, data: 'now', t: '1' });
    const answer = await held;
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.text)).toEqual([expect.objectContaining({ seq: 1, data: 'now' })]);
    // A few ms when the machine is quiet; the bound leaves room for a busy CI core, and is
    // still far below the 10 s the poll would otherwise have been held.
    expect(answeredAt - publishedAt).toBeLessThan(250);
  });

  it('releases every poll held on the channel, and only that channel', async () => {
    const server = await startServer();
    const polls = [0, 1, 2].map(() => httpRequest(`${server.url}/long-poll?since=0&timeout=10000`));
    const other = httpRequest(`${server.url}/long-poll?since=0&ch=other&timeout=400`);
    await waitFor(() => server.stats().requests['long-polling'] === 4, 'four held polls');
    await publish(server.url, 'fan-out');
    for (const answer of await Promise.all(polls))
      expect(JSON.parse(answer.text)).toEqual([expect.objectContaining({ seq: 1 })]);
    expect((await other).status).toBe(204);
  });

  it('answers held polls with 204 when the server shuts down', async () => {
    const server = await startServer();
    const held = httpRequest(`${server.url}/long-poll?since=0&timeout=60000`);
    await waitFor(() => server.stats().connections['long-polling'] === 1, 'the poll to be held');
    const started = performance.now();
    await server.close();
    expect((await held).status).toBe(204);
    expect(performance.now() - started).toBeLessThan(1_500);
  });

  it.each(['-1', '1.5', 'soon', '120001'])('refuses timeout=%s with 400', async (timeout) => {
    const server = await startServer();
    const answer = await httpRequest(`${server.url}/long-poll?since=0&timeout=${timeout}`);
    expect(answer.status).toBe(400);
    expect(JSON.parse(answer.text)).toMatchObject({ error: { code: 'bad_timeout' } });
  });
});
