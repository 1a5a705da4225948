import { sleep } from '../helpers/wait.js';
import { RawConnection } from './raw-connection.js';

// HEAD requests read by hand: a HEAD answer has headers (Content-Length among them) and no body,
// which a reader that trusts Content-Length would wait for.

export interface ResponseHead {
  status: number;
  /** Lower-cased names. */
  headers: Record<string, string>;
}

const HEAD_END = '\r\n\r\n';

function parseHead(text: string): ResponseHead {
  const [statusLine = '', ...lines] = text.split('\r\n');
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(':');
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  return { status: Number(/^HTTP\/1\.1 (\d{3})/.exec(statusLine)?.[1] ?? 0), headers };
}

/** The head of the answer to `request`, read as soon as it is complete; the connection is then dropped. */
export async function responseHead(port: number, request: string, timeoutMs = 3_000): Promise<ResponseHead> {
  const connection = await RawConnection.open(port);
  connection.write(request);
  const deadline = Date.now() + timeoutMs;
  while (!connection.received().includes(HEAD_END)) {
    if (Date.now() > deadline || connection.serverClosed)
      throw new Error(`no response head to ${request.slice(0, 60)}`);
    await sleep(5);
  }
  connection.socket.destroy();
  const text = connection.received().toString('latin1');
  return parseHead(text.slice(0, text.indexOf(HEAD_END)));
}

export interface HeadAnswer extends ResponseHead {
  /** What came after the HEAD's answer on the same connection: the answer to a GET /health sent behind it. */
  after: string;
  /** From sending the HEAD to the end of the connection. */
  elapsedMs: number;
}

/**
 * Sends `HEAD target` with a `GET /health` pipelined behind it on one connection. A HEAD answered
 * with headers only and ended leaves the GET's answer right after its head; one that sent a body
 * would put it in between, and one that was held would leave the GET unanswered.
 */
export async function headThenHealth(
  port: number,
  target: string,
  headers = '',
  timeoutMs = 3_000,
): Promise<HeadAnswer> {
  const connection = await RawConnection.open(port);
  const started = Date.now();
  connection.write(
    `HEAD ${target} HTTP/1.1\r\nHost: 127.0.0.1\r\n${headers}\r\n` +
      'GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n',
  );
  await connection.waitClosed(timeoutMs);
  const elapsedMs = Date.now() - started;
  const text = connection.received().toString('latin1');
  const end = text.indexOf(HEAD_END);
  if (end === -1) throw new Error(`no answer to HEAD ${target} within ${timeoutMs} ms`);
  return { ...parseHead(text.slice(0, end)), after: text.slice(end + HEAD_END.length), elapsedMs };
}

/** The answer to the GET /health pipelined behind a HEAD, exactly: nothing of the HEAD's in front of it. */
export const HEALTH_AFTER = /^HTTP\/1\.1 200 OK\r\n[\s\S]*\r\n\r\n\{"status":"ok"\}$/;
