import { describe, expect } from 'vitest';
import { HEADERS_TIMEOUT_MS } from '../../src/core/constants.js';
import { TRANSPORTS } from '../../src/transports/registry.js';
import { subscribeStatus } from '../helpers/http.js';
import { publish } from '../helpers/server.js';
import { exchange, jsonError, RawConnection } from './raw-connection.js';
import { serverCase, Tally } from './tally.js';

const tally = new Tally('HTTP');

/** Where the point is not whether the server closes, requests say `Connection: close` so nothing waits on keep-alive. */
const CLOSE = 'Connection: close\r\n';

function get(target: string, headers = ''): string {
  return `GET ${target} HTTP/1.1\r\nHost: 127.0.0.1\r\n${headers}\r\n`;
}

function post(target: string, body: string | Buffer, headers = CLOSE): Buffer {
  const bytes = typeof body === 'string' ? Buffer.from(body) : body;
  return Buffer.concat([
    Buffer.from(
      `POST ${target} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: ${bytes.length}\r\n${headers}\r\n`,
    ),
    bytes,
  ]);
}

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
      `POST /publish HTTP/1.1\r\nHost: x\r\nCookie: ${'c'.repeat(20_000)}\r\nContent-Length: 12\r\n\r\n{"data":"x"}`,
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
        `POST /publish HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${10 * 1024 * 1024}\r\n\r\n{"data":"`,
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
      `POST /publish HTTP/1.1\r\nHost: x\r\nContent-Length: 99999999999999999999\r\n\r\n{}`,
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
        'POST /publish HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n',
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
    ['DELETE', '/poll', 'GET'],
    ['PUT', '/publish', 'POST'],
    ['GET', '/publish', 'POST'],
    ['POST', '/sse', 'GET'],
    ['PATCH', '/health', 'GET'],
    ['POST', '/long-poll', 'GET'],
    ['TRACE', '/stats', 'GET'],
    ['POST', '/', 'GET'],
  ];
  serverCase(tally, `${wrong.length} known paths with the wrong method → 405 with Allow`, async (server) => {
    for (const [method, path, allow] of wrong) {
      const answer = await exchange(
        server.port,
        `${method} ${path} HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n${CLOSE}\r\n`,
      );
      expect(answer.status, `${method} ${path}`).toBe(405);
      expect(answer.headers.allow, `${method} ${path}`).toBe(allow);
      expect(jsonError(answer.body)?.code).toBe('method_not_allowed');
    }
    expect(server.broker.published).toBe(0);
  });

  serverCase(tally, 'a method HTTP does not know (BREW) → 400/405/501, never served', async (server) => {
    const answer = await exchange(server.port, 'BREW /health HTTP/1.1\r\nHost: x\r\n\r\n');
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
      if (answer.status !== 400) expect(jsonError(answer.body)?.code, what).toMatch(/^(not_found|forbidden)$/);
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
