import { describe, expect, it } from 'vitest';
import { openClient } from '../helpers/clients.js';
import { VARIANTS } from '../helpers/contract.js';
import { publish, publishRange, startServer } from '../helpers/server.js';
import { TcpProxy } from '../helpers/tcp-proxy.js';
import { sleep, waitFor } from '../helpers/wait.js';

const range = (first: number, last: number): number[] => Array.from({ length: last - first + 1 }, (_, i) => first + i);

/** Long enough for a few poll rounds at the test interval, so a duplicate would have shown up. */
const SETTLE_MS = 200;

describe.each(VARIANTS)('contract: %s', (_name, transport, variant) => {
  const open = (baseUrl: string, overrides: Parameters<typeof openClient>[2] = {}): ReturnType<typeof openClient> =>
    openClient(transport, baseUrl, { ...variant, ...overrides });

  it('delivers the backlog and every later message once, in order, with their payloads', async () => {
    const server = await startServer();
    await publishRange(server.url, 1, 3);
    const { collector } = await open(server.url);
    await publishRange(server.url, 4, 20);
    await collector.waitForCount(20);
    await sleep(SETTLE_MS);
    expect(collector.seqs()).toEqual(range(1, 20));
    expect(collector.envelopes.map((envelope) => envelope.data)).toEqual(range(1, 20).map((i) => `m${i}`));
    expect(collector.envelopes[0]).toMatchObject({ ch: 'default', from: null });
    expect(collector.envelopes[0]!.t).toMatch(/^\d+$/);
    expect(collector.gaps).toEqual([]);
    expect(collector.errors).toEqual([]);
  });

  it('carries the publisher’s scheduled time and sender unchanged', async () => {
    const server = await startServer();
    const { collector } = await open(server.url);
    await publish(server.url, 'x', { t: '123456789012345', from: 'c17' });
    await collector.waitForCount(1);
    expect(collector.envelopes[0]).toEqual({ seq: 1, t: '123456789012345', ch: 'default', from: 'c17', data: 'x' });
  });

  it('resumes from the last seen seq on a new connection without loss or duplicates', async () => {
    const server = await startServer();
    const first = await open(server.url);
    await publishRange(server.url, 1, 3);
    await first.collector.waitForCount(3);
    await first.client.close();
    expect(first.client.cursor).toBe(3);

    await publishRange(server.url, 4, 6);
    const second = await open(server.url, { since: first.client.cursor });
    await second.collector.waitForCount(3);
    await sleep(SETTLE_MS);
    expect(second.collector.seqs()).toEqual([4, 5, 6]);
  });

  it('reconnects by itself after its connection is cut and resumes without loss or duplicates', async () => {
    const server = await startServer();
    const proxy = await TcpProxy.start(server.port);
    const { collector } = await open(proxy.url);
    await publishRange(server.url, 1, 3);
    await collector.waitForCount(3);

    proxy.dropAll();
    await publishRange(server.url, 4, 6);
    await collector.waitForCount(6);
    await publishRange(server.url, 7, 8);
    await collector.waitForCount(8);
    await sleep(SETTLE_MS);
    expect(collector.seqs()).toEqual(range(1, 8));
    expect(collector.gaps).toEqual([]);
  });

  it('answers a cursor older than the ring with a gap marker before the kept messages', async () => {
    const server = await startServer({ ringSize: 5 });
    await publishRange(server.url, 1, 12);
    const { client, collector } = await open(server.url, { since: 0 });
    await collector.waitForCount(5);
    await waitFor(() => collector.gaps.length > 0, 'the gap marker');
    expect(collector.gaps).toEqual([{ from: 1, to: 7 }]);
    expect(collector.seqs()).toEqual([8, 9, 10, 11, 12]);
    expect(client.cursor).toBe(12);
  });

  it('keeps a cursor inside the ring free of gap markers', async () => {
    const server = await startServer({ ringSize: 5 });
    await publishRange(server.url, 1, 12);
    const { collector } = await open(server.url, { since: 7 });
    await collector.waitForCount(5);
    await sleep(SETTLE_MS);
    expect(collector.gaps).toEqual([]);
    expect(collector.seqs()).toEqual([8, 9, 10, 11, 12]);
  });

  it('counts its open connection and requests in /stats', async () => {
    const server = await startServer();
    await open(server.url);
    await waitFor(() => server.stats().requests[transport.name]! >= 1, 'the subscribe request to reach the server');
    expect(server.stats().connections[transport.name]).toBe(1);
  });
});

describe.each(VARIANTS)('contract metering: %s', (_name, transport, variant) => {
  it('meters every envelope it received at its exact size, the bytes E is measured from', async () => {
    const server = await startServer();
    await publishRange(server.url, 1, 3);
    const { client, collector } = await openClient(transport, server.url, variant);
    await publishRange(server.url, 4, 12);
    await collector.waitForCount(12);
    await sleep(SETTLE_MS);
    // The reference server writes each envelope as compact JSON, so the received ones written again are its bytes.
    const sizes = collector.envelopes.map((envelope) => Buffer.byteLength(JSON.stringify(envelope)));
    expect(client.meter.envelopes).toBe(12);
    expect(client.meter.envelopeBytes).toBe(sizes.reduce((sum, size) => sum + size, 0));
  });
});
