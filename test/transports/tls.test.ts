import { describe, expect, it } from 'vitest';
import { makeCertificate } from '../../src/core/certificate.js';
import { hrtimeString } from '../../src/core/clock.js';
import { DEFAULT_CHANNEL } from '../../src/core/constants.js';
import { PublishClient } from '../../src/harness/publish/publish-client.js';
import { TRANSPORTS } from '../../src/transports/registry.js';
import { createClient, openClient } from '../helpers/clients.js';
import { startServer } from '../helpers/server.js';
import { defer } from '../helpers/cleanup.js';

const certificate = await makeCertificate();
const MESSAGES = 3;
const PAYLOAD = 'x'.repeat(200);

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
  const cases = [
    ...TRANSPORTS.map((transport) => ({ name: transport.name, transport, overrides: {} })),
    {
      name: 'sse (eventsource package)',
      transport: TRANSPORTS.find((t) => t.name === 'sse')!,
      overrides: { clientVariant: 'eventsource' },
    },
  ];

  it.each(cases)(
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
