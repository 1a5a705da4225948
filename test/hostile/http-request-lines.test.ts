import { describe, expect } from 'vitest';
import { TRANSPORTS } from '../../src/transports/registry.js';
import { subscribeStatus } from '../helpers/http.js';
import { publish } from '../helpers/server.js';
import { CLOSE, get } from './http-requests.js';
import { exchange, jsonError } from './raw-connection.js';
import { serverCase, Tally } from './tally.js';

const tally = new Tally('server input', 'HTTP request lines');

describe('hostile HTTP input: bad since on every technique', () => {
  const values: Array<[string, string]> = [
    ['negative', 'since=-1'],
    ['fractional', 'since=1.5'],
    ['exponent', 'since=1e3'],
    ['hexadecimal', 'since=0x10'],
    ['signed', 'since=%2B1'],
    ['padded with a space', 'since=%201'],
    ['2^53 + 1 (past the safe integers)', 'since=9007199254740993'],
    ['huge (20 digits)', 'since=99999999999999999999'],
    ['non-numeric', 'since=abc'],
    ['empty', 'since='],
    ['repeated', 'since=1&since=2'],
  ];
  for (const transport of TRANSPORTS) {
    serverCase(
      tally,
      `${transport.name}: since negative, fractional, huge, non-numeric, repeated → 400 bad_since`,
      async (server) => {
        await publish(server.url, 'present');
        for (const [name, query] of values) {
          const answer = await subscribeStatus(transport, server.url, `${query}&timeout=0`);
          expect(answer.status, `${transport.name} ${name}: ${query}`).toBe(400);
          expect(jsonError(Buffer.from(answer.body))?.code, `${transport.name} ${name}`).toBe('bad_since');
        }
      },
    );
  }
});

describe('hostile HTTP input: unknown paths and methods', () => {
  const paths = [
    '/nope',
    '/health/',
    '/Health',
    '/poll/x',
    '/sse.js',
    '/ws/',
    '/publish/',
    `/${'a'.repeat(4_000)}`,
    '/%00',
    '/stats/../health',
  ];
  serverCase(tally, `${paths.length} unknown paths → 404 with a JSON error`, async (server) => {
    for (const path of paths) {
      const answer = await exchange(server.port, get(path, CLOSE));
      expect(answer.status, path.slice(0, 40)).toBe(404);
      expect(jsonError(answer.body)?.code, path.slice(0, 40)).toBe('not_found');
    }
  });

  const wrong: Array<[string, string, string]> = [
    ['DELETE', '/poll', 'GET, HEAD'],
    ['PUT', '/publish', 'POST'],
    ['GET', '/publish', 'POST'],
    ['POST', '/sse', 'GET, HEAD'],
    ['PATCH', '/health', 'GET, HEAD'],
    ['POST', '/long-poll', 'GET, HEAD'],
    ['TRACE', '/stats', 'GET, HEAD'],
    ['POST', '/', 'GET, HEAD'],
  ];
  serverCase(tally, `${wrong.length} known paths with the wrong method → 405 with Allow`, async (server) => {
    for (const [method, path, allow] of wrong) {
      const answer = await exchange(
        server.port,
        `${method} ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 0\r\n${CLOSE}\r\n`,
      );
      expect(answer.status, `${method} ${path}`).toBe(405);
      expect(answer.headers.allow, `${method} ${path}`).toBe(allow);
      expect(jsonError(answer.body)?.code).toBe('method_not_allowed');
    }
    expect(server.broker.published).toBe(0);
  });

  serverCase(tally, 'a method HTTP does not know (BREW) → 400/405/501, never served', async (server) => {
    const answer = await exchange(server.port, 'BREW /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n');
    expect([400, 405, 501]).toContain(answer.status);
  });

  serverCase(tally, 'CONNECT (a proxy request) → refused or closed, never tunnelled', async (server) => {
    const answer = await exchange(server.port, 'CONNECT 127.0.0.1:22 HTTP/1.1\r\nHost: 127.0.0.1:22\r\n\r\n');
    expect([0, 400, 405, 501]).toContain(answer.status);
    expect(answer.closed).toBe(true);
  });
});

describe('hostile HTTP input: path traversal towards files beside the demo page', () => {
  const targets = [
    '/..%2fpackage.json',
    '/%2e%2e/package.json',
    '/%2e%2e%2fpackage.json',
    '/%252e%252e%252fpackage.json',
    '/..%5cpackage.json',
    '/..\\package.json',
    '/demo.js/..%5c..%5c..%5cpackage.json',
    '//etc/passwd',
    '/../../../../etc/passwd',
    '/./demo.js/../../package.json',
    'http://x/../package.json',
    'http://127.0.0.1/../../../etc/passwd',
    '/demo.js%00.html',
    '/demo.js\u0000/../../package.json',
    '/%c0%ae%c0%ae/package.json',
    '/..;/package.json',
    '/src/server/demo/index.html',
    '/demo/../../../package.json',
  ];
  serverCase(tally, `${targets.length} traversal spellings → 400/403/404, never a file outside`, async (server) => {
    for (const target of targets) {
      const answer = await exchange(
        server.port,
        `GET ${target} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`,
      );
      const what = JSON.stringify(target);
      expect([400, 403, 404], what).toContain(answer.status);
      const text = answer.body.toString('latin1');
      expect(text, what).not.toContain('"name": "im-bench"');
      expect(text, what).not.toContain('root:x:0:0');
      expect(text, what).not.toContain('<title>im-bench');
      if (answer.status !== 400)
        expect(jsonError(answer.body)?.code, what).toMatch(/^(not_found|forbidden|forbidden_host)$/);
    }
  });

  // RFC 9112 §3.2.2: a server MUST accept the absolute form of a request target. The traversal
  // spellings above stay refused; a plain absolute URL of a known path is served like the path.
  serverCase(
    tally,
    'an absolute-form request target of a known path (GET http://host/health) → served like /health',
    async (server) => {
      const answer = await exchange(
        server.port,
        `GET http://127.0.0.1:${server.port}/health HTTP/1.1\r\nHost: 127.0.0.1:${server.port}\r\n${CLOSE}\r\n`,
      );
      expect(answer.status).toBe(200);
    },
  );
});
