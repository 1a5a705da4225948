import { describe, expect } from 'vitest';
import type { ReferenceServer } from '../../src/server/reference-server.js';
import { TRANSPORTS } from '../../src/transports/registry.js';
import type { Transport } from '../../src/transports/transport.js';
import { publish } from '../helpers/server.js';
import { headThenHealth } from './head-probes.js';
import { exchange, jsonError } from './raw-connection.js';
import { serverCase, Tally } from './tally.js';
import { handshakeRequest } from './ws-frames.js';

const tally = new Tally('server input', 'every cursor source checked');

/** A valid epoch of another log: on its own it would reset the cursor to 0 and win over `since`. */
const OTHER_EPOCH = '00000000-0000-4000-8000-000000000000';

const BAD_SINCES = ['abc', '-1', '1.5', '1e3', '0x10', '99999999999999999', '', '%20'];

/** The other cursors a request can carry beside `since`: query parameters, and headers. */
function companions(epoch: string): Array<{ name: string; query: string; headers: Record<string, string> }> {
  return [
    { name: 'alone', query: '', headers: {} },
    { name: "this log's epoch", query: `&epoch=${epoch}`, headers: {} },
    { name: "another log's epoch", query: `&epoch=${OTHER_EPOCH}`, headers: {} },
    { name: 'a valid Last-Event-ID', query: '', headers: { 'Last-Event-ID': '3' } },
    { name: 'Last-Event-ID and another epoch', query: `&epoch=${OTHER_EPOCH}`, headers: { 'Last-Event-ID': '1' } },
    { name: 'a good since first', query: '&since=2', headers: {} },
  ];
}

/** Subscribes to `transport` with `query` and `headers`: its status and JSON error code. */
async function subscribe(
  server: ReferenceServer,
  transport: Transport,
  query: string,
  headers: Record<string, string>,
): Promise<{ status: number; code: string | undefined }> {
  const request = transport.upgrade
    ? handshakeRequest({ target: `${transport.path}?${query}`, headers })
    : `GET ${transport.path}?${query} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n${Object.entries(headers)
        .map(([name, value]) => `${name}: ${value}\r\n`)
        .join('')}\r\n`;
  const answer = await exchange(server.port, request);
  return { status: answer.status, code: jsonError(answer.body)?.code };
}

describe('a bad since is a 400 whatever other cursor comes with it', () => {
  for (const transport of TRANSPORTS) {
    const name = `${transport.name}: ${BAD_SINCES.length} bad since values beside each other cursor → 400 bad_since`;
    serverCase(tally, name, async (server) => {
      await publish(server.url, 'in the log');
      for (const since of BAD_SINCES) {
        for (const other of companions(server.broker.epoch)) {
          const query = other.query.startsWith('&since')
            ? `${other.query.slice(1)}&since=${since}`
            : `since=${since}${other.query}`;
          const answer = await subscribe(server, transport, query, other.headers);
          expect(answer, `since=${JSON.stringify(since)} with ${other.name}`).toEqual({
            status: 400,
            code: 'bad_since',
          });
        }
      }
      expect(server.stats().connections[transport.name] ?? 0).toBe(0);
    });
  }
});

describe('every other cursor source is checked too, whichever would win', () => {
  serverCase(tally, 'a bad epoch beside a good since, on every technique → 400 bad_epoch', async (server) => {
    for (const transport of TRANSPORTS) {
      for (const epoch of ['', 'a b', 'x'.repeat(65), 'é']) {
        const answer = await subscribe(server, transport, `since=1&epoch=${encodeURIComponent(epoch)}`, {});
        expect(answer, `${transport.name} epoch=${JSON.stringify(epoch)}`).toEqual({ status: 400, code: 'bad_epoch' });
      }
    }
  });

  serverCase(tally, 'SSE: a bad Last-Event-ID beside a good since or another epoch → 400', async (server) => {
    const sse = TRANSPORTS.find((transport) => transport.path === '/sse')!;
    for (const query of ['since=1', `epoch=${OTHER_EPOCH}`, `since=1&epoch=${server.broker.epoch}`]) {
      for (const lastEventId of ['abc', '-1', '1.5', '99999999999999999']) {
        const answer = await subscribe(server, sse, query, { 'Last-Event-ID': lastEventId });
        expect(answer, `${query} with Last-Event-ID ${lastEventId}`).toEqual({
          status: 400,
          code: 'bad_Last-Event-ID',
        });
      }
    }
  });

  serverCase(
    tally,
    'a since given twice (the same, or one good), on every technique → 400 bad_since',
    async (server) => {
      for (const transport of TRANSPORTS) {
        for (const query of ['since=1&since=1', 'since=1&since=abc', 'since=abc&since=1']) {
          const answer = await subscribe(server, transport, query, {});
          expect(answer, `${transport.name} ${query}`).toEqual({ status: 400, code: 'bad_since' });
        }
      }
    },
  );

  serverCase(
    tally,
    'HEAD with a bad since beside a good Last-Event-ID → 400 without a body, on every HTTP technique',
    async (server) => {
      for (const transport of TRANSPORTS.filter((candidate) => !candidate.upgrade)) {
        const head = await headThenHealth(
          server.port,
          `${transport.path}?since=abc&epoch=${OTHER_EPOCH}`,
          'Last-Event-ID: 2\r\n',
        );
        expect(head.status, transport.name).toBe(400);
      }
    },
  );
});
