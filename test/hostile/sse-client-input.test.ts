import { describe, expect } from 'vitest';
import { SubscribeRefused } from '../../src/transports/shared/client-support.js';
import { getTransport } from '../../src/transports/registry.js';
import type { ClientOptions, TransportClient } from '../../src/transports/transport.js';
import { createClient } from '../helpers/clients.js';
import type { Collector } from '../helpers/collector.js';
import { sleep, waitFor } from '../helpers/wait.js';
import { envelope, FakeSseServer, writeParts, type Responder } from './fake-sse-server.js';
import { hostileCase, Tally } from './tally.js';

const tally = new Tally('harness', 'SSE client');

/** How long a refused client is watched for a reconnect it must not make. */
const WATCH_MS = 500;

/** The largest single event the client should hold: far above any im-bench payload (60 KB), far below trouble. */
const MAX_EVENT_BYTES = 1024 * 1024;

/** Our SSE client (the eventsource-parser one, the default), not opened yet; closed after the test. */
function sseClient(
  baseUrl: string,
  overrides: Partial<ClientOptions> = {},
): { client: TransportClient; collector: Collector } {
  return createClient(getTransport('sse'), baseUrl, overrides);
}

/** Serves `parts` on the first request, then ends it; later requests are held open and silent. */
function thenEnd(parts: ReadonlyArray<string | Buffer>, holdLater: Responder = () => {}): Responder {
  return async (res, request) => {
    if (request.index > 0) {
      await holdLater(res, request);
      return;
    }
    await writeParts(res, parts);
    res.end();
  };
}

function holdOpen(res: Parameters<Responder>[0]): void {
  res.writeHead(200, { 'content-type': 'text/event-stream' });
  res.flushHeaders();
}

/** Opens a client on `parts`, waits for its reconnect, and returns what it saw and the reconnect's Last-Event-ID. */
async function readThenReconnect(
  parts: ReadonlyArray<string | Buffer>,
): Promise<{ collector: Collector; lastEventId: unknown; fake: FakeSseServer }> {
  const fake = await FakeSseServer.start(thenEnd(parts, holdOpen));
  const { client, collector } = sseClient(fake.url);
  await client.open();
  await waitFor(() => fake.requests.length >= 2, 'the reconnect after the stream ended', 3_000);
  return { collector, lastEventId: fake.requests[1]!.headers['last-event-id'], fake };
}

describe('hostile SSE input to our client: framing', () => {
  hostileCase(tally, 'a UTF-8 BOM before the first field → ignored (the first id and event survive)', async () => {
    const { collector, lastEventId } = await readThenReconnect([`\uFEFFid: 1\ndata: ${envelope(1)}\n\n`]);
    expect(collector.seqs()).toEqual([1]);
    expect(lastEventId).toBe('1');
    expect(collector.errors).toEqual([]);
  });

  hostileCase(tally, 'a UTF-8 BOM split across two reads → ignored', async () => {
    const { collector, lastEventId } = await readThenReconnect([
      Buffer.from([0xef]),
      Buffer.concat([Buffer.from([0xbb, 0xbf]), Buffer.from(`id: 1\ndata: ${envelope(1)}\n\n`)]),
    ]);
    expect(collector.seqs()).toEqual([1]);
    expect(lastEventId).toBe('1');
    expect(collector.errors).toEqual([]);
  });

  hostileCase(
    tally,
    'CR, LF and CRLF line endings, mixed and split across reads → every event once, ids kept',
    async () => {
      const { collector, lastEventId } = await readThenReconnect([
        `id: 1\rdata: ${envelope(1)}\r\r`,
        `id: 2\ndata: ${envelope(2)}\n\n`,
        `id: 3\r\ndata: ${envelope(3)}\r\n\r\n`,
        `id: 4\r\ndata: ${envelope(4)}\n\r`,
        'id: 5\r',
        `\ndata: ${envelope(5)}\r`,
        '\n\r',
        '\n',
      ]);
      expect(collector.seqs()).toEqual([1, 2, 3, 4, 5]);
      expect(lastEventId).toBe('5');
      expect(collector.errors).toEqual([]);
    },
  );

  hostileCase(tally, 'comments (empty, 10 KB long, inside an event, heartbeats) → ignored', async () => {
    const first = envelope(1);
    const cut = first.indexOf('"t"');
    const { collector, lastEventId } = await readThenReconnect([
      ': hello\n',
      ':\n',
      `:${'c'.repeat(10_000)}\n`,
      `id: 1\ndata: ${first.slice(0, cut)}\n: a comment inside the event\ndata: ${first.slice(cut)}\n\n`,
      ': heartbeat\n\n',
      `id: 2\ndata: ${envelope(2)}\n\n`,
    ]);
    expect(collector.seqs()).toEqual([1, 2]);
    expect(lastEventId).toBe('2');
    expect(collector.errors).toEqual([]);
  });

  hostileCase(tally, 'an id: containing NULL → ignored: the reconnect resumes from the id before it', async () => {
    const { collector, lastEventId } = await readThenReconnect([
      `id: 5\ndata: ${envelope(5)}\n\n`,
      `id: 6\u0000evil\ndata: ${envelope(6)}\n\n`,
    ]);
    expect(collector.seqs()).toEqual([5, 6]);
    expect(lastEventId).toBe('5');
    expect(collector.errors).toEqual([]);
  });
});

describe('hostile SSE input to our client: retry', () => {
  const BOGUS = [
    'retry: soon\n\n',
    'retry: -5\n\n',
    'retry: 1.5\n\n',
    'retry:\n\n',
    'retry: 12abc\n\n',
    'retry: 0x10\n\n',
  ];

  hostileCase(tally, 'bogus retry: values → ignored: the reconnect waits the last valid retry (400 ms)', async () => {
    const fake = await FakeSseServer.start(
      thenEnd(['retry: 400\n\n', ...BOGUS, `id: 1\ndata: ${envelope(1)}\n\n`], holdOpen),
    );
    const { client, collector } = sseClient(fake.url);
    await client.open();
    await waitFor(() => fake.requests.length >= 2, 'the reconnect', 3_000);
    expect(collector.seqs()).toEqual([1]);
    const waited = fake.requests[1]!.at - fake.endedAt[0]!;
    expect(waited).toBeGreaterThanOrEqual(350);
    expect(waited).toBeLessThan(1_500);
  });

  // The spec says to ignore such fields; a browser's EventSource reports nothing. Counting them
  // as errors would charge a run's error count with lines that lost nothing.
  hostileCase(tally, 'bogus retry: values and unknown fields → not counted as errors', async () => {
    const { collector } = await readThenReconnect([
      ...BOGUS,
      'foo: bar\n',
      'a-line-without-colon\n',
      `id: 1\ndata: ${envelope(1)}\n\n`,
    ]);
    expect(collector.seqs()).toEqual([1]);
    expect(collector.errors.map((error) => error.message)).toEqual([]);
  });

  hostileCase(
    tally,
    'retry: 99999999999 (past setTimeout’s 2^31-1 ms) → a long wait, not a reconnect storm',
    async () => {
      const fake = await FakeSseServer.start(async (res) => {
        await writeParts(res, ['retry: 99999999999\n\n', `id: 1\ndata: ${envelope(1)}\n\n`]);
        res.end();
      });
      const { client, collector } = sseClient(fake.url);
      await client.open();
      await waitFor(() => collector.envelopes.length === 1, 'the event', 2_000);
      await sleep(WATCH_MS);
      expect(fake.requests.length, 'requests in 0.5 s after a retry of 3 years').toBe(1);
    },
  );
});

describe('hostile SSE input to our client: refusals (the client stops, the error counts once)', () => {
  const refusals: Array<[string, Responder]> = [
    [
      '500',
      (res) =>
        void res.writeHead(500, { 'content-type': 'application/json' }).end('{"error":{"code":"boom","message":"x"}}'),
    ],
    ['404', (res) => void res.writeHead(404).end('no')],
    ['204', (res) => void res.writeHead(204).end()],
    ['302 to elsewhere', (res) => void res.writeHead(302, { location: 'http://127.0.0.1:9/sse' }).end()],
    [
      '200 text/plain',
      (res) => void res.writeHead(200, { 'content-type': 'text/plain' }).end(`id: 1\ndata: ${envelope(1)}\n\n`),
    ],
    ['200 application/json', (res) => void res.writeHead(200, { 'content-type': 'application/json' }).end('[]')],
    ['200 without a content type', (res) => void res.writeHead(200).end(`data: ${envelope(1)}\n\n`)],
  ];

  for (const [name, refuse] of refusals) {
    hostileCase(
      tally,
      `${name} on the first request → open() fails once, exactly one request in ${WATCH_MS} ms`,
      async () => {
        const fake = await FakeSseServer.start(refuse);
        const { client, collector } = sseClient(fake.url);
        const failure = await client.open().then(
          () => undefined,
          (error: unknown) => error,
        );
        expect(failure).toBeInstanceOf(SubscribeRefused);
        await sleep(WATCH_MS);
        expect(fake.requests).toHaveLength(1);
        // open()'s rejection is the one count (the pool counts it); nothing more through onError.
        expect(collector.errors).toEqual([]);
        expect(collector.envelopes).toEqual([]);
      },
    );
  }

  for (const [name, refuse] of refusals.filter(([name]) => ['500', '404', '200 text/plain'].includes(name))) {
    hostileCase(
      tally,
      `${name} on a reconnect → one error, the client stops, no further request in ${WATCH_MS} ms`,
      async () => {
        const fake = await FakeSseServer.start(thenEnd(['retry: 20\n\n', `id: 1\ndata: ${envelope(1)}\n\n`], refuse));
        const { client, collector } = sseClient(fake.url);
        await client.open();
        await waitFor(() => fake.requests.length >= 2, 'the reconnect', 3_000);
        await sleep(WATCH_MS);
        expect(fake.requests).toHaveLength(2);
        expect(collector.seqs()).toEqual([1]);
        expect(collector.errors).toHaveLength(1);
        expect(collector.errors[0]).toBeInstanceOf(SubscribeRefused);
      },
    );
  }
});

describe('hostile SSE input to our client: an event over the size cap', () => {
  // A server (or a proxy) that never ends an event would grow the parser's buffer without bound.
  // Cap: 1 MiB per event. Past it the client counts one error, drops that event (its seq is then
  // lost in the accounting) and reads on from the next one, on the same stream: reconnecting with
  // Last-Event-ID would only fetch the same event again.
  hostileCase(
    tally,
    `a 2 MiB event between two small ones → dropped with one error, the next event delivered, no reconnect`,
    async () => {
      const big = 2 * MAX_EVENT_BYTES;
      const head = `id: 2\ndata: {"seq":2,"t":"1","ch":"default","from":null,"data":"`;
      const fake = await FakeSseServer.start(async (res) => {
        await writeParts(res, [`id: 1\ndata: ${envelope(1)}\n\n`, head], 5);
        const piece = 'x'.repeat(64 * 1024);
        for (let sent = 0; sent < big && !res.destroyed; sent += piece.length) await writeParts(res, [piece], 1);
        await writeParts(res, ['"}\n\n', `id: 3\ndata: ${envelope(3)}\n\n`]);
      });
      const { client, collector } = sseClient(fake.url);
      await client.open();
      await waitFor(
        () => collector.seqs().includes(3) || fake.requests.length > 1,
        'the event after the big one (or a reconnect)',
        8_000,
      );
      await sleep(WATCH_MS);
      expect(collector.seqs()).toEqual([1, 3]);
      expect(collector.errors).toHaveLength(1);
      expect(fake.requests).toHaveLength(1);
    },
    { timeoutMs: 15_000 },
  );
});
