import { describe, expect } from 'vitest';
import { HEADERS_TIMEOUT_MS } from '../../src/core/constants.js';
import { CLOSE, get, post } from './http-requests.js';
import { exchange, jsonError, RawConnection } from './raw-connection.js';
import { serverCase, Tally } from './tally.js';

const tally = new Tally('server input', 'HTTP heads and bodies');

/** Node's limit on the request head (request line and headers together): 16 KiB. */
const MAX_HEAD_BYTES = 16 * 1024;

describe('hostile HTTP input: oversize headers', () => {
  const cases: Array<[string, string]> = [
    ['one 20 KB header on /health', get('/health', `X-Big: ${'x'.repeat(20_000)}\r\n`)],
    ['a 20 KB request target', get(`/poll?ch=${'a'.repeat(20_000)}`)],
    [
      'headers adding up past 16 KiB on /sse',
      get('/sse', Array.from({ length: 400 }, (_, i) => `X-H${i}: ${'v'.repeat(60)}\r\n`).join('')),
    ],
    [
      'a 20 KB header on a WebSocket upgrade',
      get(
        '/ws',
        `Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\nX-Big: ${'x'.repeat(20_000)}\r\n`,
      ),
    ],
    [
      'a 20 KB cookie on POST /publish',
      `POST /publish HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: ${'c'.repeat(20_000)}\r\nContent-Length: 12\r\n\r\n{"data":"x"}`,
    ],
  ];
  for (const [name, request] of cases) {
    serverCase(tally, `${name} → 431 and the socket closed`, async (server) => {
      const answer = await exchange(server.port, request);
      expect(answer.statusLine).toBe('HTTP/1.1 431 Request Header Fields Too Large');
      expect(answer.closed).toBe(true);
      expect(server.broker.published).toBe(0);
    });
  }
});

describe('hostile HTTP input: header flood', () => {
  // Node reads at most maxHeadersCount headers (2000 by default) and ignores the rest; the head
  // size limit (16 KiB, 431 beyond) bounds what a flood can cost. Documented answer: served,
  // the extra headers ignored. A flood too big for 16 KiB is oversize headers: 431.
  const tiny = (count: number): string => Array.from({ length: count }, () => 'a:1\r\n').join('');

  serverCase(tally, '3,000 tiny headers (under 16 KiB) → served, the extra headers ignored', async (server) => {
    expect(tiny(3_000).length).toBeLessThan(MAX_HEAD_BYTES - 100);
    const health = await exchange(server.port, get('/health', CLOSE + tiny(3_000)));
    expect(health.status).toBe(200);
    expect(JSON.parse(health.body.toString())).toEqual({ status: 'ok' });
    const published = await exchange(server.port, post('/publish', '{"data":"flooded"}', CLOSE + tiny(3_000)));
    expect(published.status).toBe(202);
    expect(server.broker.published).toBe(1);
  });

  serverCase(tally, '10,000 tiny headers (past 16 KiB) → 431', async (server) => {
    const answer = await exchange(server.port, get('/health', tiny(10_000)));
    expect(answer.status).toBe(431);
    expect(answer.closed).toBe(true);
  });
});

describe('hostile HTTP input: slowloris', () => {
  // The reference server has no option for its headers timeout: it uses HEADERS_TIMEOUT_MS.
  // A head sent one byte at a time that never ends must be cut within that, plus a margin.
  const marginMs = 2_500;
  serverCase(
    tally,
    `a request head sent one byte every 250 ms → the socket closed within headersTimeout (${HEADERS_TIMEOUT_MS} ms) + ${marginMs} ms`,
    async (server) => {
      const connection = await RawConnection.open(server.port);
      const started = Date.now();
      const head = `GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ${'s'.repeat(1_000)}`;
      let sent = 0;
      const drip = setInterval(() => connection.write(head[sent++ % head.length]!), 250);
      try {
        const closed = await connection.waitClosed(HEADERS_TIMEOUT_MS + marginMs);
        const elapsed = Date.now() - started;
        expect(closed, `still open after ${elapsed} ms, ${sent} bytes dripped`).toBe(true);
        expect(elapsed).toBeGreaterThanOrEqual(HEADERS_TIMEOUT_MS - 500);
        // Node answers 408 before it closes (or just closes); never a 200 for half a request.
        expect(connection.received().toString('latin1')).not.toMatch(/^HTTP\/1\.1 200/);
      } finally {
        clearInterval(drip);
      }
    },
    { timeoutMs: 15_000 },
  );
});

describe('hostile HTTP input: request bodies', () => {
  serverCase(
    tally,
    'a declared body over --max-message → 413, refused before it is read, and the socket closed',
    async (server) => {
      const connection = await RawConnection.open(server.port);
      connection.write(
        `POST /publish HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: ${10 * 1024 * 1024}\r\n\r\n{"data":"`,
      );
      const answer = await connection.response();
      expect(answer.status).toBe(413);
      expect(jsonError(answer.body)?.code).toBe('payload_too_large');
      expect(await connection.waitClosed(2_000)).toBe(true);
    },
    { server: { maxMessageBytes: 1024 } },
  );

  serverCase(tally, 'an absurd Content-Length (20 digits) → 413 or 400, never accepted', async (server) => {
    const answer = await exchange(
      server.port,
      `POST /publish HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 99999999999999999999\r\n\r\n{}`,
    );
    expect([400, 413]).toContain(answer.status);
    expect(answer.closed).toBe(true);
    expect(server.broker.published).toBe(0);
  });

  serverCase(
    tally,
    'a chunked body that grows past --max-message → 413 and the socket closed',
    async (server) => {
      const connection = await RawConnection.open(server.port);
      connection.write(
        'POST /publish HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n',
      );
      const chunk = 'x'.repeat(512);
      for (let i = 0; i < 8 && !connection.serverClosed; i++)
        connection.write(`${chunk.length.toString(16)}\r\n${chunk}\r\n`);
      const answer = await connection.response();
      expect(answer.status).toBe(413);
      expect(await connection.waitClosed(2_000)).toBe(true);
      expect(server.broker.published).toBe(0);
    },
    { server: { maxMessageBytes: 1024 } },
  );

  serverCase(
    tally,
    'a body one byte over the limit → 413; exactly at the limit → accepted',
    async (server) => {
      const limit = 1024;
      const fill = (size: number): string => `{"data":"${'x'.repeat(size - 11)}"}`;
      expect(fill(limit)).toHaveLength(limit);
      expect((await exchange(server.port, post('/publish', fill(limit + 1)))).status).toBe(413);
      expect((await exchange(server.port, post('/publish', fill(limit)))).status).toBe(202);
    },
    { server: { maxMessageBytes: 1024 } },
  );
});

describe('hostile HTTP input: invalid publish JSON', () => {
  const bodies: Array<[string, string | Buffer, string]> = [
    ['a truncated object', '{"data":"x"', 'bad_json'],
    ['an empty body', '', 'bad_json'],
    ['trailing garbage', '{"data":"x"} {"data":"y"}', 'bad_json'],
    [
      'invalid UTF-8 bytes in a string (RFC 8259 §8.1: JSON text is UTF-8)',
      Buffer.from([0x7b, 0x22, 0x64, 0x61, 0x74, 0x61, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0x22, 0x7d]),
      '',
    ],
    ['single quotes', "{'data':'x'}", 'bad_json'],
    ['a bare string', '"just a string"', 'bad_body'],
    ['null', 'null', 'bad_body'],
    ['20,000 nested arrays', `${'['.repeat(20_000)}${']'.repeat(20_000)}`, 'bad_body'],
    ['a NUL byte in the middle', '{"data":"x"\u0000}', 'bad_json'],
    ['a channel that tries a path', '{"data":"x","ch":"../../etc"}', 'bad_ch'],
  ];
  for (const [name, body, code] of bodies) {
    serverCase(tally, `POST /publish with ${name} → 400 with a JSON error`, async (server) => {
      const answer = await exchange(server.port, post('/publish', body));
      expect(answer.status).toBe(400);
      const error = jsonError(answer.body);
      expect(error).toBeDefined();
      // Undecodable bytes must not turn silently into U+FFFD and be published; any code will do.
      if (code !== '') expect(error!.code).toBe(code);
      expect(server.broker.published).toBe(0);
    });
  }
});
