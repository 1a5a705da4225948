import { describe, expect } from 'vitest';
import type { ReferenceServer } from '../../src/server/reference-server.js';
import { TRANSPORTS } from '../../src/transports/registry.js';
import { publish } from '../helpers/server.js';
import { HEALTH_AFTER, headThenHealth, responseHead } from './head-probes.js';
import { exchange, jsonError } from './raw-connection.js';
import { serverCase, Tally } from './tally.js';

const tally = new Tally('server input', 'HEAD on every GET path');

/** The headers a HEAD must share with its GET (RFC 9110 §9.3.2); Date and connection handling may differ. */
const SHARED_HEADERS = ['content-type', 'content-length', 'cache-control', 'im-bench-epoch', 'upgrade'];

function getRequest(target: string): string {
  return `GET ${target} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`;
}

/** HEAD `target` is answered like GET `target`, without a body, and ends (the connection carries the next request). */
async function expectHeadLikeGet(server: ReferenceServer, target: string, compare = SHARED_HEADERS): Promise<void> {
  const get = await responseHead(server.port, getRequest(target));
  const head = await headThenHealth(server.port, target);
  expect(head.status, target).toBe(get.status);
  for (const name of compare) expect(head.headers[name], `${target}: ${name}`).toBe(get.headers[name]);
  expect(head.after, `${target}: nothing between the HEAD's head and the next answer`).toMatch(HEALTH_AFTER);
}

describe('HEAD on the fixed GET paths: the GET answer without its body', () => {
  serverCase(tally, 'HEAD /health and /stats → the status and headers of GET, no body', async (server) => {
    await expectHeadLikeGet(server, '/health');
    // The figures of /stats move between two requests, and their length with them.
    await expectHeadLikeGet(server, '/stats', ['content-type', 'cache-control']);
  });

  serverCase(tally, 'HEAD on every demo page and script → the status and headers of GET, no body', async (server) => {
    const pages = ['/', '/demo.js', '/demo.css', '/demo/shared.js', ...TRANSPORTS.map((t) => `/demo/${t.name}.js`)];
    for (const page of pages) await expectHeadLikeGet(server, page);
  });

  serverCase(
    tally,
    'HEAD on an unknown path → 404 and HEAD /publish → 405 Allow: POST, both without a body',
    async (server) => {
      const unknown = await headThenHealth(server.port, '/nope');
      expect([unknown.status, unknown.headers['content-type']]).toEqual([404, 'application/json; charset=utf-8']);
      expect(unknown.after).toMatch(HEALTH_AFTER);
      const publishPath = await headThenHealth(server.port, '/publish');
      expect([publishPath.status, publishPath.headers.allow]).toEqual([405, 'POST']);
      expect(publishPath.after).toMatch(HEALTH_AFTER);
    },
  );

  serverCase(
    tally,
    'Allow and a preflight list HEAD beside GET on every GET path, and never on /publish',
    async (server) => {
      for (const path of ['/health', '/stats', '/', ...TRANSPORTS.map((t) => t.path)]) {
        const wrong = await exchange(
          server.port,
          `DELETE ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`,
        );
        expect([wrong.status, wrong.headers.allow, jsonError(wrong.body)?.code], path).toEqual([
          405,
          'GET, HEAD',
          'method_not_allowed',
        ]);
        const preflight = await exchange(
          server.port,
          `OPTIONS ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`,
        );
        expect(preflight.headers['access-control-allow-methods'], path).toBe('GET, HEAD');
      }
      const preflight = await exchange(
        server.port,
        'OPTIONS /publish HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n',
      );
      expect(preflight.headers['access-control-allow-methods']).toBe('POST');
    },
  );
});

describe('HEAD on every technique: answered at once with what its GET starts with, never held', () => {
  for (const transport of TRANSPORTS) {
    serverCase(
      tally,
      `HEAD ${transport.path} with a message in the log → the status and headers of GET, no body`,
      async (server) => {
        await publish(server.url, 'in the log');
        await expectHeadLikeGet(server, transport.path);
      },
    );

    serverCase(
      tally,
      `HEAD ${transport.path}?timeout=60000 on an empty log → answered within 1 s, not held, and the connection reused`,
      async (server) => {
        const head = await headThenHealth(server.port, `${transport.path}?timeout=60000`);
        expect(head.elapsedMs).toBeLessThan(1_000);
        expect([200, 204, 426]).toContain(head.status);
        expect(head.after).toMatch(HEALTH_AFTER);
        // Nothing it could be subscribed with is left behind: a publish now reaches no one.
        await publish(server.url, 'after the HEAD');
        expect(server.stats().connections[transport.name] ?? 0).toBe(0);
        // …and /stats counts subscribe requests, which a HEAD is not.
        expect(server.stats().requests[transport.name] ?? 0).toBe(0);
      },
    );
  }

  serverCase(
    tally,
    'HEAD /ws with the headers of a WebSocket handshake → the plain answer (426), no upgrade',
    async (server) => {
      const handshake =
        'Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n';
      const head = await headThenHealth(server.port, '/ws', handshake);
      expect([head.status, head.headers.upgrade]).toEqual([426, 'websocket']);
      expect(server.stats().connections.websocket ?? 0).toBe(0);
    },
  );
});
