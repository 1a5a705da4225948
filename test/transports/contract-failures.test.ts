import { describe, expect, it } from 'vitest';
import { openClient } from '../helpers/clients.js';
import { VARIANTS } from '../helpers/contract.js';
import { subscribeStatus } from '../helpers/http.js';
import { publish, startServer } from '../helpers/server.js';
import { sleep } from '../helpers/wait.js';

describe.each(VARIANTS)('contract: %s', (_name, transport, variant) => {
  const open = (baseUrl: string, overrides: Parameters<typeof openClient>[2] = {}): ReturnType<typeof openClient> =>
    openClient(transport, baseUrl, { ...variant, ...overrides });

  it.each([
    ['negative', 'since=-1'],
    ['fractional', 'since=1.5'],
    ['non-numeric', 'since=abc'],
    ['empty', 'since='],
    ['beyond a safe integer', 'since=99999999999999999999'],
    ['repeated', 'since=1&since=2'],
    ['with a bad channel name', 'since=0&ch=no%20spaces'],
  ])('refuses a %s cursor with 400 and a JSON error, and keeps serving', async (_case, query) => {
    const server = await startServer();
    const answer = await subscribeStatus(transport, server.url, query);
    expect(answer.status).toBe(400);
    expect(JSON.parse(answer.body)).toMatchObject({
      error: { code: expect.stringMatching(/^bad_/), message: expect.any(String) },
    });

    const { collector } = await open(server.url);
    await publish(server.url, 'still here');
    await collector.waitForCount(1);
  });

  it('fails to open against a port nobody listens on, without taking the process down', async () => {
    const server = await startServer();
    const deadUrl = server.url;
    await server.close();
    await expect(open(deadUrl)).rejects.toThrow();
    await sleep(100);
  });

  it('stops for good when the server refuses the subscription with a 4xx', async () => {
    const server = await startServer();
    const opening = open(server.url, { channel: 'not a channel', reconnectDelayMs: 10 });
    const opened = await opening.then(
      (client) => client,
      () => undefined,
    );
    await sleep(300);
    expect(server.stats().requests[transport.name]).toBe(1);
    if (opened !== undefined)
      expect(opened.collector.errors.map((error) => error.message)).toEqual([expect.stringContaining('400')]);
  });
});
