import { expect } from 'vitest';
import { request } from 'undici';
import type { ReferenceServer } from '../../src/server/reference-server.js';
import { TRANSPORTS } from '../../src/transports/registry.js';
import { openClient } from '../helpers/clients.js';
import { publish } from '../helpers/server.js';

/** True when the server answers `GET /health` with 200 within `timeoutMs`: it has not crashed or wedged. */
export async function answersHealth(baseUrl: string, timeoutMs = 2_000): Promise<boolean> {
  try {
    const response = await request(`${baseUrl}/health`, {
      headersTimeout: timeoutMs,
      bodyTimeout: timeoutMs,
      reset: true,
    });
    await response.body.text();
    return response.statusCode === 200;
  } catch {
    return false;
  }
}

let rounds = 0;

/**
 * A normal client of every technique is still served after a hostile case: each one subscribes
 * (on a channel of its own, so nothing the case published gets in the way), one message is
 * published, and it arrives at all four.
 */
export async function expectStillServing(server: ReferenceServer): Promise<void> {
  const channel = `still-serving-${++rounds}`;
  const opened = await Promise.all(TRANSPORTS.map((transport) => openClient(transport, server.url, { channel })));
  const token = `alive-${rounds}`;
  await publish(server.url, token, { ch: channel });
  await Promise.all(opened.map(({ collector }) => collector.waitForCount(1, 5_000)));
  for (const [i, { collector }] of opened.entries()) {
    expect(
      collector.envelopes.map((envelope) => envelope.data),
      TRANSPORTS[i]!.name,
    ).toEqual([token]);
  }
}
