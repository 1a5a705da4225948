import { once } from 'node:events';
import type { IncomingMessage } from 'node:http';
import { createSecureServer } from 'node:http2';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import type { TLSSocket } from 'node:tls';
import { describe, expect, it } from 'vitest';
import { makeCertificate } from '../../src/core/certificate.js';
import { hrtimeString } from '../../src/core/clock.js';
import { DEFAULT_CHANNEL } from '../../src/core/constants.js';
import { PublishClient } from '../../src/harness/publish/publish-client.js';
import { TRANSPORTS } from '../../src/transports/registry.js';
import { ClientMeter } from '../../src/transports/shared/client-meter.js';
import { H2Link } from '../../src/transports/shared/h2-link.js';
import { plainOrigin } from '../../src/transports/shared/plain-connection.js';
import { PollExchange } from '../../src/transports/shared/poll-exchange.js';
import { localhostOnlyCertificate } from '../helpers/certificates.js';
import { createClient, openClient } from '../helpers/clients.js';
import { startServer } from '../helpers/server.js';
import { defer } from '../helpers/cleanup.js';

const certificate = await makeCertificate();
const MESSAGES = 3;
const PAYLOAD = 'x'.repeat(200);

/** Every technique's client, and the eventsource package's SSE client beside the parser. */
const CLIENTS = [
  ...TRANSPORTS.map((transport) => ({ name: transport.name, transport, overrides: {} })),
  {
    name: 'sse (eventsource package)',
    transport: TRANSPORTS.find((t) => t.name === 'sse')!,
    overrides: { clientVariant: 'eventsource' },
  },
];

/** Publishes `count` messages over TLS with im-bench's publisher, trusting the run's certificate. */
async function publishOverTls(baseUrl: string, count: number): Promise<void> {
  const errors: Error[] = [];
  const publisher = new PublishClient(baseUrl, (error) => errors.push(error), undefined, { ca: certificate.cert });
  defer(() => publisher.close());
  for (let i = 0; i < count; i++) {
    publisher.publish(
      JSON.stringify({ ch: DEFAULT_CHANNEL, from: null, data: PAYLOAD, t: hrtimeString(0) }),
      DEFAULT_CHANNEL,
    );
  }
  await publisher.settled(5_000);
  expect([publisher.accepted, errors]).toEqual([count, []]);
}

describe('every technique over TLS, trusting only the run’s certificate', () => {
  it.each(CLIENTS)(
    '$name: https/wss, every message delivered, the TLS records counted on the TCP socket',
    async ({ transport, overrides }) => {
      const server = await startServer({ tls: certificate });
      expect(server.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
      const { client, collector } = await openClient(transport, server.url, {
        tls: { ca: certificate.cert },
        ...overrides,
      });
      await publishOverTls(server.url, MESSAGES);
      await collector.waitForCount(MESSAGES);
      expect([collector.seqs(), collector.errors]).toEqual([[1, 2, 3], []]);
      // The handshake alone (certificate, key exchange) is several hundred bytes; TLS frames every
      // envelope in a record with its own header and tag: more than the envelopes' plaintext.
      expect(client.meter.bytes()).toBeGreaterThan(client.meter.envelopeBytes + 600);
    },
  );

  it.each(TRANSPORTS)('$name: refused without the run’s certificate: verification stays on', async (transport) => {
    const server = await startServer({ tls: certificate });
    const { client } = createClient(transport, server.url, { reconnectDelayMs: 50 });
    await expect(client.open()).rejects.toThrow(/self[- ]signed|certificate/i);
    // The handshake failed: no request was ever written, so none is counted.
    expect(client.meter.requests).toBe(0);
  });
});

describe('a server known by name, reached at the address the name was pinned to', () => {
  it.each(CLIENTS)(
    '$name: its certificate is checked for the name, not the address',
    async ({ transport, overrides }) => {
      const named = await localhostOnlyCertificate();
      const server = await startServer({ tls: named });
      const tls = { ca: named.cert, servername: 'localhost' };
      const { collector } = await openClient(transport, server.url, { tls, ...overrides });
      const errors: Error[] = [];
      const publisher = new PublishClient(server.url, (error) => errors.push(error), undefined, tls);
      defer(() => publisher.close());
      publisher.publish(
        JSON.stringify({ ch: DEFAULT_CHANNEL, from: null, data: PAYLOAD, t: hrtimeString(0) }),
        DEFAULT_CHANNEL,
      );
      await collector.waitForCount(1);
      expect([collector.seqs(), collector.errors, errors]).toEqual([[1], [], []]);
      // Checked for the address, the same certificate is refused.
      const { client } = createClient(transport, server.url, {
        tls: { ca: named.cert },
        reconnectDelayMs: 50,
        ...overrides,
      });
      await expect(client.open()).rejects.toThrow(/127\.0\.0\.1 is not in the cert's list/);
    },
  );

  it('names it in Host and :authority too, as in SNI, over HTTP/1.1, HTTP/2 and the WebSocket upgrade', async () => {
    const named = await localhostOnlyCertificate();
    const seen: string[] = [];
    const server = createSecureServer({ ...named, allowHTTP1: true }, (request, response) => {
      const socket = request.socket as TLSSocket;
      seen.push(`${request.httpVersion} ${request.headers[':authority'] ?? request.headers.host} ${socket.servername}`);
      response.writeHead(204).end();
    });
    server.on('upgrade', (request: IncomingMessage, socket: Duplex) => {
      seen.push(`upgrade ${request.headers.host} ${(request.socket as TLSSocket).servername}`);
      socket.destroy();
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    defer(() => new Promise((resolve) => server.close(resolve)));
    const { port } = server.address() as AddressInfo;
    const origin = plainOrigin(`https://127.0.0.1:${port}`, { ca: named.cert, servername: 'localhost' });
    const meter = new ClientMeter();
    const answered = new Promise<Error | undefined>((resolve) => {
      const exchange = new PollExchange(
        { baseUrl: origin.url, tls: origin.tls, answerTimeoutMs: 2_000, meter },
        resolve,
      );
      defer(() => exchange.destroy());
      exchange.send('/poll');
    });
    expect(await answered).toBeUndefined();
    const link = new H2Link(origin, undefined);
    const stream = link.request({ ':path': '/h2' });
    stream.resume();
    await once(stream, 'end');
    link.drop();
    const ws = createClient(TRANSPORTS.find((t) => t.name === 'websocket')!, origin.url, { tls: origin.tls! });
    await expect(ws.client.open()).rejects.toThrow();
    expect(seen).toEqual([
      `1.1 localhost:${port} localhost`,
      `2.0 localhost:${port} localhost`,
      `upgrade localhost:${port} localhost`,
    ]);
  });
});
