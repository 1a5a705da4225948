import { describe, expect, it } from 'vitest';
import { makeCertificate } from '../../src/core/certificate.js';
import { hrtimeString } from '../../src/core/clock.js';
import { DEFAULT_CHANNEL } from '../../src/core/constants.js';
import { PublishClient } from '../../src/harness/publish/publish-client.js';
import type { ReferenceServer } from '../../src/server/reference-server.js';
import { TRANSPORTS } from '../../src/transports/registry.js';
import { H2Links } from '../../src/transports/shared/h2-link.js';
import { type ClientTls, plainOrigin } from '../../src/transports/shared/plain-connection.js';
import type { TransportClient } from '../../src/transports/transport.js';
import { openClient } from '../helpers/clients.js';
import { startServer } from '../helpers/server.js';
import { sleep, waitFor } from '../helpers/wait.js';

const certificate = await makeCertificate();
const TRUST: ClientTls = { ca: certificate.cert };
const CLIENTS = 6;
const MESSAGES = 20;

const SHAPES = [
  { shape: 'TLS, HTTP/1.1', tls: true, http2: false, multiplex: 1 },
  { shape: 'TLS, h2', tls: true, http2: true, multiplex: 1 },
  { shape: 'TLS, h2, three clients to a connection', tls: true, http2: true, multiplex: 3 },
  { shape: 'h2c', tls: false, http2: true, multiplex: 1 },
];

/**
 * The clients count bytes on their TCP sockets (under TLS, under HTTP/2's frames); the server
 * counts its own (`wireBytes` in /stats). Once everything is closed, what one side wrote the
 * other read: the two totals agree, whatever TLS records, frames and compressed headers they carry.
 */
describe.each(SHAPES)('$shape: the clients’ bytes are the server’s, within 2 %', ({ tls, http2, multiplex }) => {
  it.each(TRANSPORTS.filter((t) => t.http2 === true))('$name', async (transport) => {
    const server: ReferenceServer = await startServer({ ...(tls ? { tls: certificate } : {}), http2 });
    const url = http2 && !tls ? server.h2cUrl! : server.url;
    const trust = tls ? { tls: TRUST } : {};
    const links = http2 ? new H2Links(plainOrigin(url, trust.tls), multiplex) : undefined;
    const clients: TransportClient[] = [];
    const collectors = [];
    for (let i = 0; i < CLIENTS; i++) {
      const opened = await openClient(transport, url, {
        ...trust,
        ...(links ? { h2: links.linkFor(i, undefined) } : {}),
      });
      clients.push(opened.client);
      collectors.push(opened.collector);
    }
    const publisher = new PublishClient(server.url, () => {}, undefined, trust.tls);
    for (let i = 0; i < MESSAGES; i++) {
      const body = JSON.stringify({ ch: DEFAULT_CHANNEL, from: null, data: 'x'.repeat(300), t: hrtimeString(0) });
      publisher.publish(body, DEFAULT_CHANNEL);
    }
    await publisher.settled(5_000);
    for (const collector of collectors) await collector.waitForCount(MESSAGES);
    await Promise.all(clients.map((client) => client.close()));
    await publisher.close();
    const counted = clients.reduce((sum, client) => sum + client.meter.bytes(), 0) + publisher.meter.bytes();
    await waitFor(
      () => Object.values(server.stats().connections).every((open) => open === 0),
      'the server to see every connection closed',
    );
    // The publisher's connections are no technique's: a moment for their last bytes to be read.
    await sleep(100);
    const serverBytes = server.stats().wireBytes!;
    expect(counted).toBeGreaterThan(CLIENTS * MESSAGES * 300);
    expect(Math.abs(counted - serverBytes) / serverBytes).toBeLessThan(0.02);
  });
});
