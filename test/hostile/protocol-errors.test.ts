import { once } from 'node:events';
import type { ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer } from 'ws';
import { describe, expect } from 'vitest';
import { ProtocolError } from '../../src/core/envelope.js';
import { createHistogram } from '../../src/core/histogram.js';
import { PooledClient, type PoolRecorder } from '../../src/harness/generator/pooled-client.js';
import { MeasurementWindow } from '../../src/harness/run/measurement-window.js';
import { getTransport } from '../../src/transports/registry.js';
import { ClientMeter } from '../../src/transports/shared/client-meter.js';
import { CursorTracker } from '../../src/transports/shared/cursor-tracker.js';
import { defer } from '../helpers/cleanup.js';
import { createClient } from '../helpers/clients.js';
import { waitFor } from '../helpers/wait.js';
import { envelope, FakeSseServer, writeParts } from './fake-sse-server.js';
import { hostileCase, Tally } from './tally.js';

const tally = new Tally('harness', 'messages that break the wire contract');

const good = (seq: number): Record<string, unknown> => JSON.parse(envelope(seq)) as Record<string, unknown>;

/** Messages that look like envelopes or markers and are not: each must be a protocol error, never a copy. */
const BROKEN: ReadonlyArray<[string, unknown]> = [
  ['a fractional seq', { ...good(1), seq: 1.5 }],
  ['a seq written as a string', { ...good(1), seq: '1' }],
  ['seq 0', { ...good(1), seq: 0 }],
  ['a negative seq', { ...good(1), seq: -3 }],
  ['a seq past 2^53', { ...good(1), seq: 1e20 }],
  ['no t', { seq: 1, ch: 'default', from: null, data: 'x' }],
  ['t as a number', { ...good(1), t: 12345 }],
  ['t that is not digits', { ...good(1), t: '12e3' }],
  ['data as a number', { ...good(1), data: 7 }],
  ['from as an object', { ...good(1), from: { id: 1 } }],
  ['ch missing', { seq: 1, t: '1', from: null, data: 'x' }],
  ['a gap with from after to', { gap: { from: 9, to: 3 } }],
  ['a reset without an epoch', { reset: {} }],
  ['a bare number', 42],
];

function pool(): PoolRecorder & { errors: Error[] } {
  const errors: Error[] = [];
  return {
    errors,
    latency: createHistogram(),
    recovery: createHistogram(),
    window: new MeasurementWindow(),
    latencyFrom: undefined,
    faultNs: 0,
    receivedInWindow: 0,
    frozen: false,
    noteError: (error) => errors.push(error),
  };
}

describe('hostile messages to our clients: each broken envelope is a protocol error, not a copy or a duplicate', () => {
  for (const [name, message] of BROKEN) {
    hostileCase(
      tally,
      `${name} → one protocol error; the cursor stays; the next good envelope is a first copy`,
      async () => {
        const recorder = pool();
        const client = new PooledClient(recorder, 'default', 0, 'epoch-a');
        const tracker = new CursorTracker(0, client, new ClientMeter());
        tracker.message(message, 0);
        expect(client.protocolErrors).toBe(1);
        expect(recorder.errors[0]).toBeInstanceOf(ProtocolError);
        expect(tracker.cursor).toBe(0);
        tracker.message(good(1), 0);
        tracker.message(good(1), 0);
        expect([client.seq.unique, client.seq.duplicated, client.protocolErrors]).toEqual([1, 1, 1]);
      },
    );
  }
});

/** Answers every request with `body` in the technique's framing, once; later requests get an empty answer. */
function serveOnce(contentType: string, body: string) {
  return (res: ServerResponse, request: { index: number }): void => {
    res.writeHead(200, { 'content-type': contentType });
    res.end(request.index === 0 ? body : contentType.includes('json') ? '[]' : '');
  };
}

describe('hostile messages to our clients, over the wire', () => {
  const broken = [
    { ...good(1), seq: 2.5 },
    { ...good(1), t: undefined },
    { ...good(1), data: 3 },
  ];
  hostileCase(
    tally,
    'short polling: an answer with 3 broken envelopes and 1 good → 1 copy, 3 protocol errors',
    async () => {
      const fake = await FakeSseServer.start(serveOnce('application/json', JSON.stringify([...broken, good(1)])));
      const { client, collector } = createClient(getTransport('short-polling'), fake.url);
      await client.open();
      await waitFor(() => collector.envelopes.length + collector.errors.length >= 4, 'the answer read', 3_000);
      expect(collector.seqs()).toEqual([1]);
      expect(collector.errors.filter((error) => error instanceof ProtocolError)).toHaveLength(3);
    },
  );

  hostileCase(tally, 'short polling: an answer that is not JSON → a protocol error, no copy', async () => {
    // The first poll finds nothing (the client is open); the second gets the broken answer.
    const fake = await FakeSseServer.start((res, request) => {
      if (request.index === 1) res.writeHead(200, { 'content-type': 'application/json' }).end('[{"seq":1,');
      else res.writeHead(204).end();
    });
    const { client, collector } = createClient(getTransport('short-polling'), fake.url);
    await client.open();
    await waitFor(() => collector.errors.length >= 1, 'the answer read', 3_000);
    expect(collector.seqs()).toEqual([]);
    expect(collector.errors[0]).toBeInstanceOf(ProtocolError);
  });

  hostileCase(tally, 'SSE: 3 broken events, 1 that is not JSON and 1 good → 1 copy, 4 protocol errors', async () => {
    const events = [...broken.map((value) => JSON.stringify(value)), 'not json', JSON.stringify(good(1))].map(
      (data) => `data: ${data}\n\n`,
    );
    const fake = await FakeSseServer.start(async (res, request) => {
      if (request.index === 0) await writeParts(res, events);
      else res.writeHead(204).end();
    });
    const { client, collector } = createClient(getTransport('sse'), fake.url);
    await client.open();
    await waitFor(() => collector.envelopes.length + collector.errors.length >= 5, 'the events read', 3_000);
    expect(collector.seqs()).toEqual([1]);
    expect(collector.errors.filter((error) => error instanceof ProtocolError)).toHaveLength(4);
  });

  hostileCase(
    tally,
    'HTTP streaming: 3 broken lines, 1 that is not JSON and 1 good → 1 copy, 4 protocol errors',
    async () => {
      const lines = [...broken.map((value) => JSON.stringify(value)), '{"seq":', JSON.stringify(good(1))]
        .map((line) => `${line}\n`)
        .join('');
      const fake = await FakeSseServer.start(serveOnce('application/x-ndjson', lines));
      const { client, collector } = createClient(getTransport('http-streaming'), fake.url);
      await client.open();
      await waitFor(() => collector.envelopes.length + collector.errors.length >= 5, 'the lines read', 3_000);
      expect(collector.seqs()).toEqual([1]);
      expect(collector.errors.filter((error) => error instanceof ProtocolError)).toHaveLength(4);
    },
  );

  hostileCase(
    tally,
    'WebSocket: a broken envelope, a frame that is not JSON, a binary frame → protocol errors; an error frame of the contract → a publish error',
    async () => {
      const wss = new WebSocketServer({ port: 0, host: '127.0.0.1' });
      defer(() => new Promise((resolve) => wss.close(resolve)));
      await once(wss, 'listening');
      wss.on('connection', (socket) => {
        socket.send(JSON.stringify({ ...good(1), seq: 'one' }));
        socket.send('not json');
        socket.send(Buffer.from([1, 2, 3]), { binary: true });
        socket.send(JSON.stringify({ type: 'error', error: { code: 'journal_unwritable', message: 'full' } }));
        socket.send(JSON.stringify(good(1)));
      });
      const { port } = wss.address() as AddressInfo;
      const { client, collector } = createClient(getTransport('websocket'), `http://127.0.0.1:${port}`);
      await client.open();
      await waitFor(() => collector.envelopes.length + collector.errors.length >= 5, 'the frames read', 3_000);
      expect(collector.seqs()).toEqual([1]);
      const protocol = collector.errors.filter((error) => error instanceof ProtocolError);
      expect(protocol).toHaveLength(3);
      expect(
        collector.errors.filter((error) => !(error instanceof ProtocolError)).map((error) => error.message),
      ).toEqual(['publish refused over WebSocket: journal_unwritable: full']);
    },
  );
});
