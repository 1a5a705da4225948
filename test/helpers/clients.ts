import { DEFAULT_CHANNEL } from '../../src/core/constants.js';
import type { ClientOptions, Transport, TransportClient } from '../../src/transports/transport.js';
import { createSubscriber } from '../../src/transports/subscriber.js';
import { defer } from './cleanup.js';
import { Collector } from './collector.js';

export interface OpenedClient {
  client: TransportClient;
  collector: Collector;
}

/** A client of `transport` with test-sized intervals, not opened yet; closed after the test. */
export function createClient(
  transport: Transport,
  baseUrl: string,
  overrides: Partial<Omit<ClientOptions, 'baseUrl' | 'handlers'>> = {},
): OpenedClient {
  const collector = new Collector();
  const client = createSubscriber(transport, {
    baseUrl,
    channel: DEFAULT_CHANNEL,
    since: 0,
    pollIntervalMs: 50,
    longPollTimeoutMs: 5_000,
    reconnectDelayMs: 50,
    handlers: collector,
    ...overrides,
  });
  defer(() => client.close());
  return { client, collector };
}

/** Opens a client of `transport` with test-sized intervals; closed after the test. */
export async function openClient(
  transport: Transport,
  baseUrl: string,
  overrides: Partial<Omit<ClientOptions, 'baseUrl' | 'handlers'>> = {},
): Promise<OpenedClient> {
  const opened = createClient(transport, baseUrl, overrides);
  await opened.client.open();
  return opened;
}
