import { describe, expect, it } from 'vitest';
import { getTransport } from '../../src/transports/registry.js';
import { openClient } from '../helpers/clients.js';
import { publish, startServer } from '../helpers/server.js';
import { sleep, waitFor } from '../helpers/wait.js';
import { FakeSseServer } from '../hostile/fake-sse-server.js';
import { EPOCH_HEADER } from '../../src/core/wire.js';

const POLLING = ['short-polling', 'long-polling'] as const;

describe.each(POLLING)('%s client accounting', (name) => {
  const transport = getTransport(name);

  it('counts exactly the requests the server saw, its empty answers, failures and the reconnect after them', async () => {
    // 204, then two 503s, then 204s again: one reconnect once the server answers again.
    const fake = await FakeSseServer.start((res, request) => {
      if (request.index === 1 || request.index === 2) {
        res.writeHead(503, { 'content-type': 'application/json' });
        res.end('{"error":{"code":"busy","message":"try later"}}');
        return;
      }
      res.writeHead(204, { [EPOCH_HEADER]: 'e1' });
      res.end();
    });
    const { client, collector } = await openClient(transport, fake.url, { pollIntervalMs: 10, reconnectDelayMs: 10 });
    await waitFor(() => fake.requests.length >= 6, 'six polls');
    await client.close();
    expect(client.meter.requests).toBe(fake.requests.length);
    expect(client.meter.emptyResponses).toBe(fake.requests.length - 2);
    expect(client.meter.reconnects).toBe(1);
    expect(collector.errors.map((error) => error.message)).toEqual([
      expect.stringMatching(/answered 503: \{"error":\{"code":"busy"/),
      expect.stringMatching(/answered 503/),
    ]);
    expect(collector.epochs).toEqual(['e1']);
    // The polls carried the cursor and, once known, the epoch.
    expect(fake.requests[0]!.url).toBe(
      `${transport.path}?ch=default&since=0${name === 'long-polling' ? '&timeout=5000' : ''}`,
    );
    expect(fake.requests.at(-1)!.url).toContain('since=0&epoch=e1');
  });

  it("counts each exchange's head apart from its body, and each envelope at its exact size", async () => {
    const envelopes = [1, 2].map((seq) =>
      JSON.stringify({ seq, t: String(seq), ch: 'default', from: null, data: 'é' }),
    );
    // Padded as a pretty-printer would: the whitespace and the separators belong to no envelope.
    const body = `[\n  ${envelopes[0]},\n  ${envelopes[1]}\n]`;
    const fake = await FakeSseServer.start((res, request) => {
      if (request.index === 1) {
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
        res.end(body);
        return;
      }
      res.writeHead(204, { [EPOCH_HEADER]: 'e1' });
      res.end();
    });
    const { client, collector } = await openClient(transport, fake.url, { pollIntervalMs: 10, reconnectDelayMs: 10 });
    await waitFor(() => fake.requests.length >= 5, 'five polls');
    await client.close();
    expect(collector.seqs()).toEqual([1, 2]);
    const { meter } = client;
    const { emptyResponses } = meter;
    expect(meter.messageExchanges).toBe(1);
    expect(meter.envelopes).toBe(2);
    expect(meter.envelopeBytes).toBe(Buffer.byteLength(envelopes[0]!) + Buffer.byteLength(envelopes[1]!));
    // Every byte on the socket is an exchange's head or the one body: nothing counted twice, nothing left out.
    expect(emptyResponses).toBe(fake.requests.length - 1);
    expect(meter.messageHeadBytes + meter.emptyHeadBytes + Buffer.byteLength(body)).toBe(client.meter.bytes());
    // The 200's head has its content type and length besides what a 204's has.
    expect(meter.messageHeadBytes).toBeGreaterThan(meter.emptyHeadBytes / emptyResponses);
  });

  it('stops at the first answer it may not ask again (a 4xx), reporting it once', async () => {
    const fake = await FakeSseServer.start((res, request) => {
      res.writeHead(request.index === 0 ? 204 : 404);
      res.end(request.index === 0 ? undefined : 'gone');
    });
    const { client, collector } = await openClient(transport, fake.url, { pollIntervalMs: 10, reconnectDelayMs: 10 });
    await waitFor(() => collector.errors.length === 1, 'the refusal');
    await sleep(100);
    expect(fake.requests).toHaveLength(2);
    expect(client.meter.requests).toBe(2);
    expect(collector.errors[0]!.message).toMatch(/answered 404: gone$/);
  });
});

describe('short-polling client', () => {
  it('polls again at once when an answer was cut short of the log (im-bench-more), not at its next interval', async () => {
    const server = await startServer();
    // About 1.8 MB: more than one poll answer holds.
    for (let i = 0; i < 30; i++) await publish(server.url, 'x'.repeat(60_000));
    const { client, collector } = await openClient(getTransport('short-polling'), server.url, {
      pollIntervalMs: 60_000,
    });
    await collector.waitForCount(30, 2_000);
    expect(client.meter.requests).toBe(2);
    expect(collector.seqs()).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
  });
});
