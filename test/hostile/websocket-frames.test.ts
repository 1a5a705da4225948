import { describe, expect } from 'vitest';
import type { ReferenceServer } from '../../src/server/reference-server.js';
import { sleep } from '../helpers/wait.js';
import type { RawConnection } from './raw-connection.js';
import { serverCase, Tally } from './tally.js';
import {
  closeCodeOf,
  closePayload,
  encodeFrame,
  framesAfterHandshake,
  OPCODE,
  openWebSocket,
  type FrameSpec,
} from './ws-frames.js';

const tally = new Tally('server input', 'WebSocket frames');

/** How long the server has to answer a bad frame with its close frame and end the connection. */
const ANSWER_WITHIN_MS = 3_000;

/** Waits for the server's close frame (and the end of the connection); its code, or undefined when none came. */
async function serverCloseCode(connection: RawConnection): Promise<{ code: number | undefined; ended: boolean }> {
  const deadline = Date.now() + ANSWER_WITHIN_MS;
  while (
    closeCodeOf(framesAfterHandshake(connection)) === undefined &&
    !connection.serverClosed &&
    Date.now() < deadline
  )
    await sleep(5);
  // After its close frame the server ends the TCP connection (it does not wait for ours: the peer is broken).
  const ended = await connection.waitClosed(Math.max(0, deadline - Date.now()));
  return { code: closeCodeOf(framesAfterHandshake(connection)), ended };
}

/**
 * Sends `frames` on a fresh socket and expects the server's close frame with `expected`, then the
 * end of the connection. A protocol error fails the connection at once (RFC 6455 §7.1.7); a
 * refusal of valid frames (1003) is a closing handshake, so the client answers the close first.
 */
function frameCase(
  name: string,
  frames: () => Buffer[],
  expected: number,
  overrides: Partial<ReferenceServer['options']> = {},
): void {
  serverCase(
    tally,
    `${name} → close ${expected}`,
    async (server) => {
      const connection = await openWebSocket(server.port);
      for (const frame of frames()) connection.write(frame);
      if (expected === 1003) {
        await serverCloseCode(connection);
        connection.write(encodeFrame({ opcode: OPCODE.close, payload: closePayload(1003) }));
      }
      const { code, ended } = await serverCloseCode(connection);
      expect(code).toBe(expected);
      expect(ended, 'the server ended the connection').toBe(true);
      expect(server.broker.published).toBe(0);
    },
    { server: overrides },
  );
}

const publishText = JSON.stringify({ type: 'publish', data: 'x' });
const text = (spec: Omit<FrameSpec, 'opcode'> = {}): Buffer =>
  encodeFrame({ opcode: OPCODE.text, payload: publishText, ...spec });

/** Text that is not valid UTF-8, in a text frame, across fragments or in a close reason: close 1007 (RFC 6455 §8.1). */
function invalidUtf8Cases(): void {
  frameCase(
    'a text frame of invalid UTF-8 (0xff)',
    () => [encodeFrame({ opcode: OPCODE.text, payload: Buffer.from([0x7b, 0xff, 0x7d]) })],
    1007,
  );
  frameCase(
    'a text frame with a UTF-16 surrogate encoded in UTF-8 (ed a0 80)',
    () => [encodeFrame({ opcode: OPCODE.text, payload: Buffer.from([0x22, 0xed, 0xa0, 0x80, 0x22]) })],
    1007,
  );
  frameCase(
    'an overlong UTF-8 encoding (c0 af)',
    () => [encodeFrame({ opcode: OPCODE.text, payload: Buffer.from([0x22, 0xc0, 0xaf, 0x22]) })],
    1007,
  );
  frameCase(
    'a character split across fragments whose continuation is invalid',
    () => [
      encodeFrame({ opcode: OPCODE.text, payload: Buffer.from([0x22, 0xe2, 0x82]), fin: false }),
      encodeFrame({ opcode: OPCODE.continuation, payload: Buffer.from([0x41, 0x22]) }),
    ],
    1007,
  );
  frameCase(
    'a close reason of invalid UTF-8',
    () => [encodeFrame({ opcode: OPCODE.close, payload: closePayload(1000, Buffer.from([0xff, 0xfe])) })],
    1007,
  );
}

describe('hostile WebSocket frames after a good handshake', () => {
  frameCase('an unmasked text frame', () => [text({ mask: false })], 1002);
  frameCase('an unmasked ping', () => [encodeFrame({ opcode: OPCODE.ping, payload: 'p', mask: false })], 1002);

  invalidUtf8Cases();

  frameCase(
    'a frame announcing 70,000 bytes (over a 64 KiB limit), header only',
    () => [encodeFrame({ opcode: OPCODE.text, declaredLength: 70_000n })],
    1009,
  );
  frameCase(
    'a frame announcing 2^53 bytes',
    () => [encodeFrame({ opcode: OPCODE.text, declaredLength: 2n ** 53n })],
    1009,
  );
  frameCase(
    'a fragmented message whose pieces add up past the limit',
    () => [
      encodeFrame({ opcode: OPCODE.text, payload: 'x'.repeat(600), fin: false }),
      encodeFrame({ opcode: OPCODE.continuation, payload: 'x'.repeat(600) }),
    ],
    1009,
    { maxMessageBytes: 1024 },
  );
  frameCase(
    'a binary frame (not part of the contract)',
    () => [encodeFrame({ opcode: OPCODE.binary, payload: Buffer.from([1, 2, 3]) })],
    1003,
  );

  for (const opcode of [0x3, 0x7, 0xb, 0xf]) {
    frameCase(`reserved opcode 0x${opcode.toString(16)}`, () => [encodeFrame({ opcode, payload: 'x' })], 1002);
  }
  for (const [bit, rsv] of [
    ['RSV1', 4],
    ['RSV2', 2],
    ['RSV3', 1],
  ] as const) {
    frameCase(`a text frame with ${bit} set (no extension agreed)`, () => [text({ rsv })], 1002);
  }

  frameCase(
    'a ping with a 126-byte payload (control frames carry at most 125)',
    () => [encodeFrame({ opcode: OPCODE.ping, payload: Buffer.alloc(126, 0x70) })],
    1002,
  );
  frameCase(
    'a fragmented ping (control frames cannot be fragmented)',
    () => [encodeFrame({ opcode: OPCODE.ping, payload: 'p', fin: false })],
    1002,
  );
  frameCase(
    'a continuation frame with no message started',
    () => [encodeFrame({ opcode: OPCODE.continuation, payload: 'x' })],
    1002,
  );
  frameCase('a new text frame while a fragmented message is open', () => [text({ fin: false }), text()], 1002);

  for (const code of [0, 999, 1004, 1005, 1006, 1015, 1016, 2999, 5000, 65535]) {
    frameCase(
      `a close frame with the invalid code ${code}`,
      () => [encodeFrame({ opcode: OPCODE.close, payload: closePayload(code) })],
      1002,
    );
  }
  frameCase(
    'a close frame with a 1-byte payload',
    () => [encodeFrame({ opcode: OPCODE.close, payload: Buffer.from([0x03]) })],
    1002,
  );
});

describe('hostile WebSocket frames: fragment flood', () => {
  // ws closes a message with 1008 once it has more than `maxFragments` pieces (16,384 by default),
  // and with 1009 once its bytes pass maxPayload. Below both, each one-byte fragment still costs
  // about 100 B of server heap for 7 bytes on the wire (measured: 100 sockets × 16,000 fragments
  // held 172 MB for 1.6 MB of payload). No client im-bench drives fragments a message at all, so
  // thousands of pieces is policy abuse: close 1008 (the message is not too big, so not 1009).
  serverCase(tally, 'a message in 10,000 one-byte continuation frames, never finished → close 1008', async (server) => {
    const connection = await openWebSocket(server.port);
    const frames = [encodeFrame({ opcode: OPCODE.text, payload: '"', fin: false })];
    for (let i = 0; i < 10_000; i++)
      frames.push(encodeFrame({ opcode: OPCODE.continuation, payload: 'x', fin: false }));
    connection.write(Buffer.concat(frames));
    const { code, ended } = await serverCloseCode(connection);
    expect(code, 'the close code (undefined: the server took the whole flood and kept the socket open)').toBe(1008);
    expect(ended).toBe(true);
  });

  serverCase(tally, 'a message in 20,000 empty continuation frames, never finished → close 1008', async (server) => {
    const connection = await openWebSocket(server.port);
    const frames = [encodeFrame({ opcode: OPCODE.text, payload: '"', fin: false })];
    for (let i = 0; i < 20_000; i++) frames.push(encodeFrame({ opcode: OPCODE.continuation, fin: false }));
    connection.write(Buffer.concat(frames));
    const { code, ended } = await serverCloseCode(connection);
    expect(code).toBe(1008);
    expect(ended).toBe(true);
  });

  serverCase(
    tally,
    'a message in 100 fragments that ends in time → published (fragmentation itself is legal)',
    async (server) => {
      const connection = await openWebSocket(server.port);
      const body = JSON.stringify({ type: 'publish', data: 'pieced' });
      const pieces = Array.from({ length: 100 }, (_, i) =>
        body.slice((i * body.length) / 100, ((i + 1) * body.length) / 100),
      );
      const frames = pieces.map((piece, i) =>
        encodeFrame({
          opcode: i === 0 ? OPCODE.text : OPCODE.continuation,
          payload: piece,
          fin: i === pieces.length - 1,
        }),
      );
      connection.write(Buffer.concat(frames));
      for (let i = 0; i < 200 && server.broker.published === 0; i++) await sleep(10);
      expect(server.broker.published).toBe(1);
      expect(connection.serverClosed).toBe(false);
    },
  );
});
