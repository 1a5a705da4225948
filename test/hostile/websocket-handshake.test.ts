import { describe, expect } from 'vitest';
import { publish } from '../helpers/server.js';
import { sleep } from '../helpers/wait.js';
import { exchange, jsonError, RawConnection } from './raw-connection.js';
import { serverCase, Tally } from './tally.js';
import {
  closeCodeOf,
  encodeFrame,
  framesAfterHandshake,
  handshakeRequest,
  OPCODE,
  type HandshakeSpec,
} from './ws-frames.js';

const tally = new Tally('server input', 'WebSocket handshakes');

interface BadHandshake {
  name: string;
  spec: HandshakeSpec;
  /** Acceptable statuses: the documented one first. */
  status: readonly number[];
  check?: (headers: Record<string, string>) => void;
  /**
   * The request is not an upgrade at all (Node sees a plain GET /ws): HTTP keep-alive applies,
   * so the server closes once the client is done sending, not at once.
   */
  plainHttp?: boolean;
}

const BAD_HANDSHAKES: BadHandshake[] = [
  { name: 'no Sec-WebSocket-Key', spec: { headers: { 'Sec-WebSocket-Key': null } }, status: [400] },
  {
    name: 'a Sec-WebSocket-Key that is not 16 bytes of base64',
    spec: { headers: { 'Sec-WebSocket-Key': 'abc' } },
    status: [400],
  },
  {
    name: 'a Sec-WebSocket-Key of 16 bytes written in 22 chars with a bad pad',
    spec: { headers: { 'Sec-WebSocket-Key': 'dGhlIHNhbXBsZSBub25jZQ=x' } },
    status: [400],
  },
  {
    name: 'Sec-WebSocket-Version 12',
    spec: { headers: { 'Sec-WebSocket-Version': '12' } },
    // RFC 6455 §4.4: refuse, naming the versions spoken.
    status: [400, 426],
    check: (headers) => expect(headers['sec-websocket-version']).toMatch(/\b13\b/),
  },
  {
    name: 'no Sec-WebSocket-Version',
    spec: { headers: { 'Sec-WebSocket-Version': null } },
    status: [400, 426],
    check: (headers) => expect(headers['sec-websocket-version']).toMatch(/\b13\b/),
  },
  {
    name: 'Sec-WebSocket-Version "13abc"',
    spec: { headers: { 'Sec-WebSocket-Version': '13abc' } },
    status: [400, 426],
  },
  {
    name: 'POST instead of GET',
    spec: { method: 'POST', headers: { 'Content-Length': '0' } },
    status: [405],
    check: (headers) => expect(headers.allow).toBe('GET, HEAD'),
  },
  {
    name: 'PUT instead of GET',
    spec: { method: 'PUT', headers: { 'Content-Length': '0' } },
    status: [405],
    check: (headers) => expect(headers.allow).toBe('GET, HEAD'),
  },
  {
    name: 'no Upgrade header (Connection: Upgrade alone)',
    spec: { headers: { Upgrade: null } },
    status: [426],
    check: (headers) => expect(headers.upgrade).toBe('websocket'),
    plainHttp: true,
  },
  {
    name: 'no Connection: Upgrade (Upgrade: websocket alone)',
    spec: { headers: { Connection: null } },
    status: [426],
    check: (headers) => expect(headers.upgrade).toBe('websocket'),
    plainHttp: true,
  },
  {
    name: 'an upgrade to another protocol (Upgrade: h2c) on /ws',
    spec: { headers: { Upgrade: 'h2c' } },
    status: [400, 426],
  },
  { name: 'a foreign Origin', spec: { headers: { Origin: 'http://evil.example' } }, status: [403] },
  {
    name: 'a foreign Origin that only starts like ours',
    spec: { headers: { Origin: 'http://127.0.0.1.evil.example' } },
    status: [403],
  },
  { name: 'since=-1', spec: { target: '/ws?since=-1' }, status: [400] },
  { name: 'since repeated', spec: { target: '/ws?since=1&since=2' }, status: [400] },
  { name: 'a bad channel name', spec: { target: '/ws?ch=a%20b' }, status: [400] },
  { name: 'an unknown path (/wss)', spec: { target: '/wss' }, status: [404] },
  { name: 'an unknown path under /ws (/ws/x)', spec: { target: '/ws/x' }, status: [404] },
  {
    name: 'a garbage Sec-WebSocket-Protocol',
    spec: { headers: { 'Sec-WebSocket-Protocol': 'a b,,"c"' } },
    status: [400],
  },
  // RFC 6455 §4.1: the handshake MUST be HTTP/1.1 or higher; §4.2.1: else answer an error such as 400.
  { name: 'HTTP/1.0', spec: { httpVersion: 'HTTP/1.0' }, status: [400, 505] },
];

describe('hostile WebSocket handshakes: refused with the documented status, a JSON error, and the socket closed', () => {
  for (const bad of BAD_HANDSHAKES) {
    serverCase(tally, `${bad.name} → ${bad.status.join(' or ')}`, async (server) => {
      const answer = await exchange(server.port, handshakeRequest(bad.spec), { halfClose: bad.plainHttp === true });
      expect(bad.status, answer.statusLine).toContain(answer.status);
      bad.check?.(answer.headers);
      // Errors are JSON (README, "Wire contract"), whoever notices the mistake.
      expect(jsonError(answer.body), `body: ${answer.body.toString('latin1').slice(0, 200)}`).toBeDefined();
      expect(answer.closed, 'the server closed the socket').toBe(true);
      expect(server.stats().connections.websocket).toBe(0);
    });
  }
});

describe('hostile WebSocket handshakes: accepted where the protocol says to ignore', () => {
  serverCase(
    tally,
    'extension negotiation garbage → 101 with no extension agreed (unknown extensions are ignored)',
    async (server) => {
      const connection = await RawConnection.open(server.port);
      connection.write(
        handshakeRequest({
          headers: {
            'Sec-WebSocket-Extensions': 'permessage-deflate; client_max_window_bits=abc;;, x-unknown; =, ;;;,,',
          },
        }),
      );
      const answer = await connection.response();
      expect(answer.status).toBe(101);
      expect(answer.headers['sec-websocket-extensions']).toBeUndefined();
      // The socket works: a masked publish frame comes back as an envelope.
      connection.write(
        encodeFrame({ opcode: OPCODE.text, payload: JSON.stringify({ type: 'publish', data: 'after-garbage' }) }),
      );
      for (
        let i = 0;
        i < 200 && !framesAfterHandshake(connection).some((frame) => frame.payload.includes('after-garbage'));
        i++
      )
        await sleep(10);
      expect(framesAfterHandshake(connection).map((frame) => frame.payload.toString())).toContainEqual(
        expect.stringContaining('"data":"after-garbage"'),
      );
    },
  );

  serverCase(tally, 'a second upgrade request sent on the same socket → read as frames: close 1002', async (server) => {
    const connection = await RawConnection.open(server.port);
    connection.write(handshakeRequest() + handshakeRequest());
    const answer = await connection.response();
    expect(answer.status).toBe(101);
    // The second request is not a frame a client may send ("G" = a fragment with RSV1 set, unmasked).
    expect(await connection.waitClosed(3_000)).toBe(true);
    expect(closeCodeOf(framesAfterHandshake(connection))).toBe(1002);
    await publish(server.url, 'after');
  });

  serverCase(
    tally,
    'an upgrade after a refused one on the same socket → never reached: the refusal closed the socket',
    async (server) => {
      const connection = await RawConnection.open(server.port);
      connection.write(handshakeRequest({ target: '/ws?since=-1' }));
      const first = await connection.response();
      expect(first.status).toBe(400);
      expect(await connection.waitClosed(2_000)).toBe(true);
      connection.write(handshakeRequest());
      await sleep(100);
      expect(connection.received().toString('latin1')).not.toContain('101 Switching Protocols');
    },
  );
});
