import { once } from 'node:events';
import { connect, createServer as createH2cServer } from 'node:http2';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { makeCertificate } from '../../src/core/certificate.js';
import { hrtimeString } from '../../src/core/clock.js';
import { DEFAULT_CHANNEL } from '../../src/core/constants.js';
import { PublishClient } from '../../src/harness/publish/publish-client.js';
import type { ReferenceServer } from '../../src/server/reference-server.js';
import { TRANSPORTS } from '../../src/transports/registry.js';
import { H2Link, H2Links } from '../../src/transports/shared/h2-link.js';
import { type ClientTls, plainOrigin } from '../../src/transports/shared/plain-connection.js';
import { defer } from '../helpers/cleanup.js';
import { createClient, openClient } from '../helpers/clients.js';
import { startServer } from '../helpers/server.js';

const certificate = await makeCertificate();
const TRUST: ClientTls = { ca: certificate.cert };
const HTTP2 = TRANSPORTS.filter((transport) => transport.http2 === true);
const MESSAGES = 3;

/** Publishes `count` messages with im-bench's publisher (HTTP/1.1, on the host's port). */
async function publishMessages(server: ReferenceServer, count: number, tls: boolean): Promise<void> {
  const errors: Error[] = [];
  const publisher = new PublishClient(server.url, (error) => errors.push(error), undefined, tls ? TRUST : undefined);
  defer(() => publisher.close());
  for (let i = 0; i < count; i++) {
    const body = JSON.stringify({ ch: DEFAULT_CHANNEL, from: null, data: 'x'.repeat(100), t: hrtimeString(0) });
    publisher.publish(body, DEFAULT_CHANNEL);
  }
  await publisher.settled(5_000);
  expect([publisher.accepted, errors]).toEqual([count, []]);
}

const SHAPES = [
  { shape: 'h2 (over TLS, by ALPN)', tls: true, alpn: 'h2' },
  { shape: 'h2c (cleartext, prior knowledge, a port of its own)', tls: false, alpn: 'h2c' },
];

describe.each(SHAPES)('$shape', ({ tls, alpn }) => {
  async function start(): Promise<{ server: ReferenceServer; url: string }> {
    const server = await startServer({ http2: true, ...(tls ? { tls: certificate } : {}) });
    const url = tls ? server.url : server.h2cUrl!;
    if (!tls) expect(url).not.toBe(server.url);
    return { server, url };
  }

  it.each(HTTP2)('$name: every message delivered, as streams of one HTTP/2 connection', async (transport) => {
    const { server, url } = await start();
    const link = new H2Link(plainOrigin(url, tls ? TRUST : undefined), undefined);
    const { client, collector } = await openClient(transport, url, { ...(tls ? { tls: TRUST } : {}), h2: link });
    await publishMessages(server, MESSAGES, tls);
    await collector.waitForCount(MESSAGES);
    expect([collector.seqs(), collector.errors]).toEqual([[1, 2, 3], []]);
    expect(link.protocol).toBe(alpn);
    // The server counts the HTTP/2 session, not each stream, as the connection.
    expect(server.stats().connections[transport.name]).toBe(1);
    expect(client.meter.bytes()).toBe(link.bytes());
  });

  it('clients share connections as --h2-multiplex asks, each counting its share of the bytes', async () => {
    const { server, url } = await start();
    const transport = TRANSPORTS.find((t) => t.name === 'sse')!;
    const links = new H2Links(plainOrigin(url, tls ? TRUST : undefined), 5);
    const opened = [];
    for (let i = 0; i < 10; i++) {
      const h2 = links.linkFor(i, undefined);
      opened.push(await openClient(transport, url, { ...(tls ? { tls: TRUST } : {}), h2 }));
    }
    await publishMessages(server, MESSAGES, tls);
    for (const { collector } of opened) await collector.waitForCount(MESSAGES);
    expect(server.stats().connections.sse).toBe(2);
    const [first, second] = [links.linkFor(0, undefined), links.linkFor(5, undefined)];
    expect(first).not.toBe(second);
    const shares = opened.reduce((sum, { client }) => sum + client.meter.bytes(), 0);
    expect(shares).toBeCloseTo(first.bytes() + second.bytes(), 6);
  });

  it('the server answers an HTTP/2 request with HTTP/2 (its :status pseudo-header)', async () => {
    const { url } = await start();
    const session = connect(url, tls ? { ca: certificate.cert } : {});
    defer(() => session.destroy());
    const headers = await new Promise<Record<string, unknown>>((resolve, reject) => {
      const stream = session.request({ ':path': '/health' });
      stream.on('response', resolve);
      stream.on('error', reject);
      stream.resume();
    });
    expect(headers[':status']).toBe(200);
  });
});

describe('HTTP/2 failures, counted as the HTTP/1.1 clients count them', () => {
  it.each(HTTP2)('$name: a connection refused counts no request', async (transport) => {
    // A port nothing listens on any more: the session never comes up.
    const gone = await startServer({ http2: true });
    const url = gone.h2cUrl!;
    await gone.close();
    const link = new H2Link(plainOrigin(url), undefined);
    const { client } = createClient(transport, url, { h2: link, reconnectDelayMs: 50 });
    await expect(client.open()).rejects.toThrow(/ECONNREFUSED/);
    // The stream waited for a session that never came up: it never reached a server.
    expect(client.meter.requests).toBe(0);
  });

  it.each(HTTP2)('$name: a connection refused for its certificate counts no request', async (transport) => {
    const server = await startServer({ http2: true, tls: certificate });
    const link = new H2Link(plainOrigin(server.url), undefined);
    const { client } = createClient(transport, server.url, { h2: link, reconnectDelayMs: 50 });
    await expect(client.open()).rejects.toThrow(/self[- ]signed|certificate/i);
    expect(client.meter.requests).toBe(0);
  });

  it.each(HTTP2.filter((t) => t.name === 'sse' || t.name === 'http-streaming'))(
    '$name: a stream reset before its answer fails the subscription, not waits for ever',
    async (transport) => {
      const h2 = createH2cServer();
      h2.on('stream', (stream) => stream.close());
      h2.listen(0, '127.0.0.1');
      await once(h2, 'listening');
      defer(() => new Promise<void>((resolve) => h2.close(() => resolve())));
      const url = `http://127.0.0.1:${(h2.address() as AddressInfo).port}`;
      const { client } = createClient(transport, url, { h2: new H2Link(plainOrigin(url), undefined) });
      await expect(client.open()).rejects.toThrow(/before an answer|closed before/);
    },
  );
});

describe('the WebSocket beside HTTP/2', () => {
  it('upgrades an HTTP/1.1 connection on the TLS port HTTP/2 shares', async () => {
    const server = await startServer({ http2: true, tls: certificate });
    const transport = TRANSPORTS.find((t) => t.name === 'websocket')!;
    const { collector } = await openClient(transport, server.url, { tls: TRUST });
    await publishMessages(server, MESSAGES, true);
    await collector.waitForCount(MESSAGES);
    expect([collector.seqs(), collector.errors]).toEqual([[1, 2, 3], []]);
  });
});
