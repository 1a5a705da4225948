import { describe, expect } from 'vitest';
import { DEFAULT_MAX_MESSAGE_BYTES } from '../../src/core/constants.js';
import { post } from './http-requests.js';
import { exchange, jsonError } from './raw-connection.js';
import {
  FIELD_CODES,
  FRAME_FIELD_CODES,
  httpRefusal,
  MESSAGE_BOUND,
  publishBody,
  SHAPES,
  stillPublishes,
} from './publish-probes.js';
import { serverCase, Tally } from './tally.js';
import { WsPublisher } from './ws-publisher.js';

const tally = new Tally('server input', 'publish bodies wide and at the limit');

/** Room left in a default-limit body for one field's value, beside the others. */
const ROOM = DEFAULT_MAX_MESSAGE_BYTES - 64;

/** Values of every field that fill the default body limit, none of them nested. */
const WIDE: Record<string, string> = {
  'an array of 30,000 zeros': `[${Array.from({ length: 30_000 }, () => '0').join(',')}]`,
  'an object of 5,000 keys': `{${Array.from({ length: 5_000 }, (_, i) => `"k${i}":0`).join(',')}}`,
  'a number of 60,000 digits': '9'.repeat(60_000),
  'a 60,000-character string of digits': `"${'7'.repeat(60_000)}"`,
};

/** The answer a field of each wide value gets: a code, or null where the contract takes it (202). */
function expected(field: string, value: string, codes: Record<string, string>): string | null {
  const aString = value.startsWith('"');
  if (field === 'from' || field === 'data') return aString ? null : codes[field]!;
  return codes[field]!;
}

/** The deepest arrays that fit the default limit beside `{"data":"x","from":…}`. */
const DEEPEST_FITTING = Math.floor(ROOM / 2);

describe('hostile publish bodies: wide values in every field', () => {
  serverCase(
    tally,
    'POST /publish with each field as wide values filling 64 KiB → 400 naming it, or 202',
    async (server) => {
      let accepted = 0;
      for (const [field] of Object.entries(FIELD_CODES)) {
        for (const [name, value] of Object.entries(WIDE)) {
          const answer = await httpRefusal(server, publishBody(field, value, false));
          const code = expected(field, value, FIELD_CODES);
          if (code === null) accepted++;
          expect([answer.status, code === null ? null : answer.code], `${field}: ${name}`).toEqual(
            code === null ? [202, null] : [400, code],
          );
          if (code !== null) expect(answer.message.length, answer.message).toBeLessThan(MESSAGE_BOUND);
        }
      }
      expect(server.broker.published).toBe(accepted);
    },
  );

  serverCase(
    tally,
    'publish frames with each field as wide values filling 64 KiB → error frame naming it',
    async (server) => {
      const publisher = await WsPublisher.open(server.url);
      for (const [field] of Object.entries(FRAME_FIELD_CODES)) {
        for (const [name, value] of Object.entries(WIDE)) {
          const code = expected(field, value, FRAME_FIELD_CODES);
          if (code === null) continue;
          const error = await publisher.refusal(publishBody(field, value, true));
          expect(error.code, `${field}: ${name}`).toBe(code);
          expect(error.message.length, error.message).toBeLessThan(MESSAGE_BOUND);
        }
      }
      expect(server.broker.published).toBe(0);
      await stillPublishes(server, publisher);
    },
  );
});

describe('hostile publish bodies: nesting at the default body limit', () => {
  serverCase(
    tally,
    `${DEEPEST_FITTING} nested arrays under 64 KiB → 400; one level more, past it → 413`,
    async (server) => {
      const fits = publishBody('from', SHAPES.arrays!(DEEPEST_FITTING), false);
      expect(fits.length).toBeLessThanOrEqual(DEFAULT_MAX_MESSAGE_BYTES);
      expect(await httpRefusal(server, fits)).toMatchObject({ status: 400, code: 'bad_from' });
      const over = publishBody('from', SHAPES.arrays!(DEFAULT_MAX_MESSAGE_BYTES / 2), false);
      const answer = await exchange(server.port, post('/publish', over));
      expect([answer.status, jsonError(answer.body)?.code]).toEqual([413, 'payload_too_large']);
      expect(server.broker.published).toBe(0);
    },
  );

  serverCase(
    tally,
    `a frame of ${DEEPEST_FITTING} nested arrays → bad_from; past 64 KiB → close 1009`,
    async (server) => {
      const publisher = await WsPublisher.open(server.url);
      const fits = publishBody('from', SHAPES.arrays!(DEEPEST_FITTING), true);
      expect((await publisher.refusal(fits)).code).toBe('bad_from');
      await stillPublishes(server, publisher);
      const closed = publisher.closeCode();
      publisher.send(publishBody('from', SHAPES.arrays!(DEFAULT_MAX_MESSAGE_BYTES / 2), true));
      expect(await closed).toBe(1009);
      expect(server.broker.published).toBe(1);
    },
  );
});
