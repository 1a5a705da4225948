import { expect } from 'vitest';
import type { ReferenceServer } from '../../src/server/reference-server.js';
import { waitFor } from '../helpers/wait.js';
import { post } from './http-requests.js';
import { exchange, jsonError } from './raw-connection.js';
import type { ErrorFrame, WsPublisher } from './ws-publisher.js';

// What the hostile publish suites send and how they read the answers.

/** An error message describes what it got in a few words, whatever it got. */
export const MESSAGE_BOUND = 300;

/** JSON values nested `depth` levels deep. */
export const SHAPES: Record<string, (depth: number) => string> = {
  arrays: (depth) => `${'['.repeat(depth)}${']'.repeat(depth)}`,
  objects: (depth) => `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`,
};

/** The error code of a publish field that is not what the contract says it is. */
export const FIELD_CODES: Record<string, string> = { data: 'bad_data', ch: 'bad_ch', from: 'bad_from', t: 'bad_t' };
/** Over WebSocket, `type` is a field too. */
export const FRAME_FIELD_CODES: Record<string, string> = { ...FIELD_CODES, type: 'bad_message' };

/** A publish request that is valid but for `field`, whose JSON text is `value`. */
export function publishBody(field: string, value: string, frame: boolean): string {
  const fields: Record<string, string> = frame ? { type: '"publish"', data: '"x"' } : { data: '"x"' };
  fields[field] = value;
  return `{${Object.entries(fields)
    .map(([name, text]) => `"${name}":${text}`)
    .join(',')}}`;
}

export async function httpRefusal(server: ReferenceServer, body: string): Promise<ErrorFrame & { status: number }> {
  const answer = await exchange(server.port, post('/publish', body));
  const error = jsonError(answer.body);
  return { status: answer.status, code: error?.code ?? '(no JSON error)', message: error?.message ?? '' };
}

/** After refusals, the WebSocket is still open and still publishes. */
export async function stillPublishes(server: ReferenceServer, publisher: WsPublisher): Promise<void> {
  expect(publisher.open).toBe(true);
  const before = server.broker.published;
  publisher.send(JSON.stringify({ type: 'publish', ch: 'after', data: 'still here' }));
  await waitFor(() => server.broker.published === before + 1, 'a publish after the refusals', 3_000);
}
