import { once } from 'node:events';
import { connect, type Socket } from 'node:net';
import { defer } from '../helpers/cleanup.js';

export interface RawResponse {
  /** 0 when the server closed the socket without answering. */
  status: number;
  statusLine: string;
  /** Lower-cased names; a repeated header keeps its last value. */
  headers: Record<string, string>;
  body: Buffer;
  /** Bytes after the response (its body included when it has no length): WebSocket frames after a 101. */
  rest: Buffer;
}

const HEAD_END = Buffer.from('\r\n\r\n');

/**
 * A hand-driven TCP connection to the server: whatever bytes a test writes go out as they are,
 * whatever comes back is kept. Destroyed after the test.
 */
export class RawConnection {
  /** Set when the server ended its side (FIN) or the socket closed. */
  serverClosed = false;
  private readonly chunks: Buffer[] = [];
  private readonly closedPromise: Promise<void>;

  private constructor(readonly socket: Socket) {
    socket.on('data', (chunk: Buffer) => this.chunks.push(chunk));
    socket.on('error', () => {});
    this.closedPromise = new Promise((resolve) => {
      const done = (): void => {
        this.serverClosed = true;
        resolve();
      };
      socket.once('end', done);
      socket.once('close', done);
    });
  }

  static async open(port: number): Promise<RawConnection> {
    const socket = connect(port, '127.0.0.1');
    defer(() => socket.destroy());
    await once(socket, 'connect');
    socket.setNoDelay(true);
    return new RawConnection(socket);
  }

  write(bytes: string | Buffer): void {
    if (!this.socket.destroyed) this.socket.write(bytes);
  }

  received(): Buffer {
    return Buffer.concat(this.chunks);
  }

  /** True when the server closed (or ended) the connection within `timeoutMs`. */
  async waitClosed(timeoutMs: number): Promise<boolean> {
    if (this.serverClosed) return true;
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<void>((resolve) => (timer = setTimeout(resolve, timeoutMs)));
    await Promise.race([this.closedPromise, timedOut]);
    clearTimeout(timer);
    return this.serverClosed;
  }

  /** The first response: its head and, when it says how long it is, its body. */
  async response(timeoutMs = 3_000): Promise<RawResponse> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const parsed = parseResponse(this.received(), this.serverClosed);
      if (parsed !== undefined) return parsed;
      if (this.serverClosed)
        return { status: 0, statusLine: '', headers: {}, body: Buffer.alloc(0), rest: this.received() };
      if (Date.now() > deadline) {
        throw new Error(
          `no complete response within ${timeoutMs} ms; got ${JSON.stringify(this.received().toString('latin1').slice(0, 300))}`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  }
}

/** Parses one HTTP/1.1 response from `bytes`; undefined while it is incomplete. */
export function parseResponse(bytes: Buffer, complete: boolean): RawResponse | undefined {
  const end = bytes.indexOf(HEAD_END);
  if (end === -1) return undefined;
  const [statusLine = '', ...lines] = bytes.subarray(0, end).toString('latin1').split('\r\n');
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(':');
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  const status = Number(/^HTTP\/\d\.\d (\d{3})/.exec(statusLine)?.[1] ?? 0);
  const start = end + HEAD_END.length;
  const declared = headers['content-length'];
  if (declared === undefined) {
    // A 101 has no body; anything else without a length runs to the close.
    if (status === 101) return { status, statusLine, headers, body: Buffer.alloc(0), rest: bytes.subarray(start) };
    if (!complete) return undefined;
    return { status, statusLine, headers, body: bytes.subarray(start), rest: Buffer.alloc(0) };
  }
  const length = Number(declared);
  if (bytes.length < start + length)
    return complete ? { status, statusLine, headers, body: bytes.subarray(start), rest: Buffer.alloc(0) } : undefined;
  return {
    status,
    statusLine,
    headers,
    body: bytes.subarray(start, start + length),
    rest: bytes.subarray(start + length),
  };
}

/** Sends `request` on a fresh connection and returns the answer and whether the server then closed. */
export async function exchange(
  port: number,
  request: string | Buffer,
  { closeWithinMs = 2_000, halfClose = false }: { closeWithinMs?: number; halfClose?: boolean } = {},
): Promise<RawResponse & { closed: boolean }> {
  const connection = await RawConnection.open(port);
  if (halfClose) connection.socket.end(request);
  else connection.write(request);
  const response = await connection.response();
  return { ...response, closed: await connection.waitClosed(closeWithinMs) };
}

/** The JSON error of the wire contract, `{"error":{"code","message"}}`, or undefined when the body is not one. */
export function jsonError(body: Buffer): { code: string; message: string } | undefined {
  try {
    const parsed = JSON.parse(body.toString('utf8')) as { error?: { code?: unknown; message?: unknown } };
    const { code, message } = parsed.error ?? {};
    return typeof code === 'string' && typeof message === 'string' ? { code, message } : undefined;
  } catch {
    return undefined;
  }
}
