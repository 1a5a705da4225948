import { describe, expect } from 'vitest';
import type { ReferenceServer } from '../../src/server/reference-server.js';
import { expectForbiddenHost, hostHandshake, hostRequest, withPort } from './host-probes.js';
import { jsonError } from './raw-connection.js';
import { serverCase, Tally } from './tally.js';

const tally = new Tally('server input', 'Host allow-list (DNS rebinding)');

/** Host values answered by a server without --allow-host: IP literals, localhost and *.localhost. */
const ANSWERED = [
  '127.0.0.1:PORT',
  '127.0.0.1',
  '127.0.0.1:',
  '10.20.30.40:PORT',
  '[::1]:PORT',
  '[::1]',
  '[::ffff:127.0.0.1]:PORT',
  'localhost:PORT',
  'localhost',
  'foo.localhost:PORT',
  'a.b.localhost',
  // Names are compared without case and without the one trailing dot of a fully qualified name.
  'LOCALHOST:PORT',
  'Foo.LocalHost',
  'localhost.:PORT',
];

/**
 * Host values refused (403): names a page could be served from and rebound, and values that are
 * no host at all. `127.1` and `2130706433` are refused: only the dotted-quad form is an IPv4
 * literal here (a browser writes 127.1 as 127.0.0.1 before it sends it).
 */
const REFUSED = [
  'evil.example:PORT',
  'evil.example',
  'EVIL.EXAMPLE:PORT',
  'evil.example.:PORT',
  'localhost.evil.example',
  '127.0.0.1.nip.io:PORT',
  'localhostx',
  '.localhost',
  'localhost..',
  '127.1:PORT',
  '2130706433',
  '::1',
  '[::1',
  '[evil.example]:PORT',
  '127.0.0.1:abc',
  '127.0.0.1:80:80',
  'user@127.0.0.1',
  '',
];

async function expectServed(server: ReferenceServer, host: string): Promise<void> {
  const http = await hostRequest(server, host);
  expect(http.status, `GET /health with Host ${host}`).toBe(200);
  const ws = await hostHandshake(server, host, {}, 0);
  expect(ws.status, `WebSocket handshake with Host ${host}`).toBe(101);
}

async function expectRefused(server: ReferenceServer, host: string): Promise<void> {
  expectForbiddenHost(await hostRequest(server, host), withPort(host, server.port), `GET /health, Host ${host}`);
  const ws = await hostHandshake(server, host);
  expectForbiddenHost(ws, withPort(host, server.port), `WebSocket handshake, Host ${host}`);
  expect(ws.closed, 'the refused handshake closed').toBe(true);
}

describe('a server bound to loopback answers IP literals, localhost and *.localhost, and refuses other names', () => {
  serverCase(
    tally,
    `${ANSWERED.length} Host values of loopback names and IP literals → served, over HTTP and WebSocket`,
    async (server) => {
      for (const host of ANSWERED) await expectServed(server, host);
    },
  );

  serverCase(
    tally,
    `${REFUSED.length} other Host values → 403 forbidden_host, over HTTP and WebSocket`,
    async (server) => {
      for (const host of REFUSED) await expectRefused(server, host);
      expect(server.stats().connections.websocket ?? 0).toBe(0);
    },
  );

  serverCase(
    tally,
    'Host evil.example on every kind of path and method → 403 before anything else is looked at',
    async (server) => {
      const requests: Array<[string, string, string?]> = [
        ['GET', '/stats'],
        ['GET', '/'],
        ['GET', '/demo.js'],
        ['GET', '/no/such/path'],
        ['GET', '/poll?since=abc'],
        ['GET', '/long-poll?timeout=60000'],
        ['GET', '/sse'],
        ['GET', '/stream'],
        ['GET', '/ws'],
        ['HEAD', '/health'],
        ['OPTIONS', '/publish'],
        ['DELETE', '/poll'],
        ['POST', '/publish', '{"data":"x"}'],
      ];
      for (const [method, target, body] of requests) {
        const answer = await hostRequest(server, 'evil.example:PORT', { method, target, body });
        if (method === 'HEAD') expect(answer.status, `${method} ${target}`).toBe(403);
        else expectForbiddenHost(answer, `evil.example:${server.port}`, `${method} ${target}`);
      }
      expect(server.broker.published).toBe(0);
    },
  );
});

describe('DNS rebinding: a page on a rebound name is refused even though its Origin matches its Host', () => {
  serverCase(
    tally,
    'POST /publish with Host and Origin both evil.example:PORT → 403 forbidden_host, nothing published',
    async (server) => {
      const origin = `Origin: http://evil.example:${server.port}\r\n`;
      const answer = await hostRequest(server, 'evil.example:PORT', {
        method: 'POST',
        target: '/publish',
        headers: origin,
        body: '{"data":"x"}',
      });
      expectForbiddenHost(answer, `evil.example:${server.port}`, 'rebound publish');
      const read = await hostRequest(server, 'evil.example:PORT', { target: '/poll', headers: origin });
      expectForbiddenHost(read, `evil.example:${server.port}`, 'rebound poll');
      expect(server.broker.published).toBe(0);
    },
  );

  serverCase(
    tally,
    'a WebSocket handshake with Host and Origin both evil.example:PORT → 403 before the upgrade',
    async (server) => {
      const answer = await hostHandshake(server, 'evil.example:PORT', { Origin: `http://evil.example:${server.port}` });
      expectForbiddenHost(answer, `evil.example:${server.port}`, 'rebound handshake');
      expect(answer.closed).toBe(true);
      expect(server.stats().connections.websocket ?? 0).toBe(0);
    },
  );
});

describe('--allow-host: names answered besides the loopback ones, and .NAME for a name and its subdomains', () => {
  // Given as a library user might write them: the server compares without case or trailing dot.
  const allowHosts = ['Bench.LAN.', '.example.test'];
  const allowed = [
    'bench.lan:PORT',
    'BENCH.LAN',
    'bench.lan.:PORT',
    'example.test',
    'a.example.test:PORT',
    'x.y.example.test',
  ];
  const refused = [
    'sub.bench.lan',
    'bench.lan.evil.example',
    'notexample.test:PORT',
    'example.test.evil',
    'evil.example',
  ];

  serverCase(
    tally,
    `--allow-host ${allowHosts.join(',')}: ${allowed.length} names served, ${refused.length} refused, over HTTP and WebSocket`,
    async (server) => {
      for (const host of allowed) await expectServed(server, host);
      for (const host of refused) await expectRefused(server, host);
      // The loopback names stay answered beside the allowed ones.
      await expectServed(server, 'localhost:PORT');
    },
    { server: { allowHosts } },
  );
});

describe('requests without one Host header', () => {
  serverCase(
    tally,
    'HTTP/1.0 without Host → served (browsers always send Host: no rebinding without it)',
    async (server) => {
      const health = await hostRequest(server, null, { httpVersion: 'HTTP/1.0' });
      expect(health.status).toBe(200);
      const published = await hostRequest(server, null, {
        httpVersion: 'HTTP/1.0',
        method: 'POST',
        target: '/publish',
        body: '{"data":"from 1.0"}',
      });
      expect(published.status).toBe(202);
    },
  );

  serverCase(tally, 'HTTP/1.1 without Host → 400, over HTTP and WebSocket (RFC 9112 §3.2)', async (server) => {
    expect((await hostRequest(server, null)).status).toBe(400);
    const ws = await hostHandshake(server, null);
    expect([ws.status, jsonError(ws.body)?.code]).toEqual([400, 'bad_host']);
  });

  serverCase(
    tally,
    'two Host headers, one of them good, in either order → 400 bad_host, over HTTP and WebSocket',
    async (server) => {
      for (const second of ['evil.example', '127.0.0.1']) {
        const first = second === '127.0.0.1' ? 'evil.example' : '127.0.0.1';
        const http = await hostRequest(server, first, { headers: `Host: ${second}\r\n` });
        expect([http.status, jsonError(http.body)?.code], `${first} then ${second}`).toEqual([400, 'bad_host']);
        const ws = await hostHandshake(server, first, { 'X-Then': `x\r\nHost: ${second}` });
        expect([ws.status, jsonError(ws.body)?.code], `handshake: ${first} then ${second}`).toEqual([400, 'bad_host']);
      }
    },
  );

  serverCase(
    tally,
    'an absolute-form target names the host instead of the Host header (RFC 9112 §3.2.2)',
    async (server) => {
      const evil = await hostRequest(server, '127.0.0.1', { target: `http://evil.example:${server.port}/health` });
      expectForbiddenHost(evil, `evil.example:${server.port}`, 'absolute form naming evil.example');
      const local = await hostRequest(server, 'evil.example', { target: `http://127.0.0.1:${server.port}/health` });
      expect(local.status).toBe(200);
    },
  );
});
