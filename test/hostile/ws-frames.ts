import { randomBytes } from 'node:crypto';
import { RawConnection } from './raw-connection.js';

export const OPCODE = { continuation: 0x0, text: 0x1, binary: 0x2, close: 0x8, ping: 0x9, pong: 0xa } as const;

/** The sample nonce of RFC 6455 §1.3: a valid 16-byte key in base64. */
export const HANDSHAKE_KEY = 'dGhlIHNhbXBsZSBub25jZQ==';

export interface FrameSpec {
  opcode: number;
  payload?: Buffer | string;
  fin?: boolean;
  /** The three RSV bits, 0–7 (RSV1 = 4). */
  rsv?: number;
  /** Client frames must be masked; false sends one bare. */
  mask?: boolean;
  /** A length to announce other than the payload's (a lie, or a header sent without its payload). */
  declaredLength?: bigint;
}

/** One frame, encoded by hand as RFC 6455 §5.2 lays it out. */
export function encodeFrame({
  opcode,
  payload = Buffer.alloc(0),
  fin = true,
  rsv = 0,
  mask = true,
  declaredLength,
}: FrameSpec): Buffer {
  const data = typeof payload === 'string' ? Buffer.from(payload) : payload;
  const length = declaredLength ?? BigInt(data.length);
  const head: number[] = [(fin ? 0x80 : 0) | ((rsv & 7) << 4) | (opcode & 0xf)];
  const maskBit = mask ? 0x80 : 0;
  let extended = Buffer.alloc(0);
  if (length < 126n) {
    head.push(maskBit | Number(length));
  } else if (length < 65_536n) {
    head.push(maskBit | 126);
    extended = Buffer.alloc(2);
    extended.writeUInt16BE(Number(length));
  } else {
    head.push(maskBit | 127);
    extended = Buffer.alloc(8);
    extended.writeBigUInt64BE(length);
  }
  if (!mask) return Buffer.concat([Buffer.from(head), extended, data]);
  const key = randomBytes(4);
  const masked = Buffer.from(data);
  for (let i = 0; i < masked.length; i++) masked[i]! ^= key[i % 4]!;
  return Buffer.concat([Buffer.from(head), extended, key, masked]);
}

export function closePayload(code: number, reason: Buffer | string = ''): Buffer {
  const head = Buffer.alloc(2);
  head.writeUInt16BE(code);
  return Buffer.concat([head, typeof reason === 'string' ? Buffer.from(reason) : reason]);
}

export interface ServerFrame {
  fin: boolean;
  opcode: number;
  payload: Buffer;
}

/** The complete (unmasked) frames a server sent, in order; a trailing partial frame is left out. */
export function decodeFrames(bytes: Buffer): ServerFrame[] {
  const frames: ServerFrame[] = [];
  let at = 0;
  while (at + 2 <= bytes.length) {
    const first = bytes[at]!;
    const second = bytes[at + 1]!;
    let length = second & 0x7f;
    let offset = at + 2;
    if (length === 126) {
      if (offset + 2 > bytes.length) break;
      length = bytes.readUInt16BE(offset);
      offset += 2;
    } else if (length === 127) {
      if (offset + 8 > bytes.length) break;
      length = Number(bytes.readBigUInt64BE(offset));
      offset += 8;
    }
    if (second & 0x80) offset += 4;
    if (offset + length > bytes.length) break;
    frames.push({ fin: (first & 0x80) !== 0, opcode: first & 0x0f, payload: bytes.subarray(offset, offset + length) });
    at = offset + length;
  }
  return frames;
}

/** The status code of the server's close frame, when it sent one (1005 for a close frame without a code). */
export function closeCodeOf(frames: readonly ServerFrame[]): number | undefined {
  const close = frames.find((frame) => frame.opcode === OPCODE.close);
  if (close === undefined) return undefined;
  return close.payload.length >= 2 ? close.payload.readUInt16BE(0) : 1005;
}

export interface HandshakeSpec {
  method?: string;
  target?: string;
  httpVersion?: string;
  /** Replaces or adds headers; null leaves one out. */
  headers?: Record<string, string | null>;
}

/** A WebSocket opening handshake, valid unless `spec` spoils it. */
export function handshakeRequest({
  method = 'GET',
  target = '/ws',
  httpVersion = 'HTTP/1.1',
  headers = {},
}: HandshakeSpec = {}): string {
  const all: Record<string, string | null> = {
    Host: '127.0.0.1',
    Upgrade: 'websocket',
    Connection: 'Upgrade',
    'Sec-WebSocket-Key': HANDSHAKE_KEY,
    'Sec-WebSocket-Version': '13',
    ...headers,
  };
  const lines = Object.entries(all)
    .filter((entry): entry is [string, string] => entry[1] !== null)
    .map(([name, value]) => `${name}: ${value}\r\n`);
  return `${method} ${target} ${httpVersion}\r\n${lines.join('')}\r\n`;
}

/** A raw connection past a good handshake (101), ready for hand-made frames. */
export async function openWebSocket(port: number, target = '/ws'): Promise<RawConnection> {
  const connection = await RawConnection.open(port);
  connection.write(handshakeRequest({ target }));
  const response = await connection.response();
  if (response.status !== 101) throw new Error(`handshake answered ${response.statusLine}`);
  return connection;
}

/** The frames the server sent after its 101. */
export function framesAfterHandshake(connection: RawConnection): ServerFrame[] {
  const bytes = connection.received();
  const end = bytes.indexOf('\r\n\r\n');
  return end === -1 ? [] : decodeFrames(bytes.subarray(end + 4));
}
