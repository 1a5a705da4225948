import { describe, expect } from 'vitest';
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

const tally = new Tally('server input', 'publish bodies nested deep and wide');

/** Depths swept over every field; the deepest needs a body limit above the default 64 KiB. */
const DEPTHS = [1, 100, 5_000, 100_000];
/** Room for the deepest objects below (six bytes a level). */
const SWEEP_LIMIT = 1024 * 1024;

describe('hostile publish bodies: every field nested deep, over HTTP', () => {
  for (const [field, code] of Object.entries(FIELD_CODES)) {
    for (const [shape, nest] of Object.entries(SHAPES)) {
      serverCase(
        tally,
        `POST /publish with ${field} as ${shape} nested ${DEPTHS.join(', ')} deep → 400 ${code}`,
        async (server) => {
          for (const depth of DEPTHS) {
            const answer = await httpRefusal(server, publishBody(field, nest(depth), false));
            expect([answer.status, answer.code], `depth ${depth}`).toEqual([400, code]);
            expect(answer.message.length, answer.message).toBeLessThan(MESSAGE_BOUND);
          }
          expect(server.broker.published).toBe(0);
        },
        { server: { maxMessageBytes: SWEEP_LIMIT } },
      );
    }
  }
});

describe('hostile publish frames: every field nested deep, over WebSocket', () => {
  for (const [field, code] of Object.entries(FRAME_FIELD_CODES)) {
    for (const [shape, nest] of Object.entries(SHAPES)) {
      serverCase(
        tally,
        `a publish frame with ${field} as ${shape} nested ${DEPTHS.join(', ')} deep → error frame ${code}, socket open`,
        async (server) => {
          const publisher = await WsPublisher.open(server.url);
          for (const depth of DEPTHS) {
            const error = await publisher.refusal(publishBody(field, nest(depth), true));
            expect(error.code, `depth ${depth}`).toBe(code);
            expect(error.message.length, error.message).toBeLessThan(MESSAGE_BOUND);
          }
          expect(server.broker.published).toBe(0);
          await stillPublishes(server, publisher);
        },
        { server: { maxMessageBytes: SWEEP_LIMIT } },
      );
    }
  }
});

describe('hostile publish bodies: deep JSON that does not parse', () => {
  const broken: Array<[string, string]> = [
    ['100,000 arrays never closed', `{"data":"x","from":${'['.repeat(100_000)}`],
    ['100,000 objects closed with the wrong brackets', `{"data":${'{"a":'.repeat(100_000)}1${']'.repeat(100_000)}}`],
    ['100,000 arrays then garbage', `{"data":"x","t":${SHAPES.arrays!(100_000)}}}`],
  ];
  serverCase(
    tally,
    `POST /publish with ${broken.length} deep texts that are not JSON → 400 bad_json`,
    async (server) => {
      for (const [name, body] of broken) {
        const answer = await httpRefusal(server, body);
        expect([answer.status, answer.code], name).toEqual([400, 'bad_json']);
      }
      expect(server.broker.published).toBe(0);
    },
    { server: { maxMessageBytes: SWEEP_LIMIT } },
  );
  serverCase(
    tally,
    `publish frames of ${broken.length} deep texts that are not JSON → error frame bad_json, socket open`,
    async (server) => {
      const publisher = await WsPublisher.open(server.url);
      for (const [name, body] of broken) expect((await publisher.refusal(body)).code, name).toBe('bad_json');
      expect(server.broker.published).toBe(0);
      await stillPublishes(server, publisher);
    },
    { server: { maxMessageBytes: SWEEP_LIMIT } },
  );
});
