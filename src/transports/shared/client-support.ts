import { ProtocolError } from '../../core/envelope.js';
import { EPOCH_HEADER } from '../../core/wire.js';
import { BEFORE_HANDSHAKE } from './plain-connection.js';

/** Resolves after `ms`, or at once when `signal` aborts; never rejects. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (ms <= 0 || signal?.aborted === true) return Promise.resolve();
  return new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}

/** The epoch a response names (see EPOCH_HEADER), when it names one. */
export function epochOf(headers: Record<string, string | string[] | undefined>): string | undefined {
  const value = headers[EPOCH_HEADER];
  return typeof value === 'string' ? value : undefined;
}

export function subscribePath(path: string, params: Record<string, string | number>): string {
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) query.set(name, String(value));
  return `${path}?${query.toString()}`;
}

/** A subscribe request the server answered with something other than a subscription. */
export class SubscribeRefused extends Error {
  constructor(
    readonly path: string,
    readonly statusCode: number,
    detail: string,
  ) {
    super(`GET ${path} answered ${statusCode}${detail === '' ? '' : `: ${detail}`}`);
    this.name = 'SubscribeRefused';
  }

  /** A client error other than "too slow" or "too many": asking again would be refused again. */
  get permanent(): boolean {
    return this.statusCode >= 400 && this.statusCode < 500 && this.statusCode !== 408 && this.statusCode !== 429;
  }
}

export function isPermanentRefusal(error: unknown): boolean {
  return error instanceof SubscribeRefused && error.permanent;
}

const MAX_BACKOFF_MS = 30_000;
const MIN_RETRY_MS = 10;

/**
 * Delay before the next attempt: the base after a success, doubling with each failure in a
 * row up to 30 s, so a server that is down is not hammered by every client at once.
 */
export class Backoff {
  private failures = 0;

  succeeded(): void {
    this.failures = 0;
  }

  failed(): void {
    this.failures++;
  }

  get failing(): boolean {
    return this.failures > 0;
  }

  delayMs(baseMs: number): number {
    const floor = Math.max(baseMs, MIN_RETRY_MS);
    if (this.failures === 0) return floor;
    return Math.min(MAX_BACKOFF_MS, floor * 2 ** Math.min(this.failures - 1, 12));
  }
}

/** Errors that mean no connection was made, so no request reached the server. */
const CONNECT_FAILURES = new Set([
  'ECONNREFUSED',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EADDRNOTAVAIL',
  'ENOTFOUND',
  'UND_ERR_CONNECT_TIMEOUT',
  'IMB_ERR_CONNECT_TIMEOUT',
]);

export function isConnectFailure(error: unknown): boolean {
  const failure = error as { code?: string; [BEFORE_HANDSHAKE]?: true };
  return CONNECT_FAILURES.has(failure.code ?? '') || failure[BEFORE_HANDSHAKE] === true;
}

/** A JSON body read as undici's `body.json()` reads it: UTF-8, one leading byte-order mark skipped. */
export function parseJsonBody(body: Buffer): unknown {
  const start = body.length >= 3 && body[0] === 0xef && body[1] === 0xbb && body[2] === 0xbf ? 3 : 0;
  const text = body.toString('utf8', start);
  try {
    return JSON.parse(text);
  } catch {
    throw new ProtocolError('an answer is not JSON', text);
  }
}

/** Bytes of a refused answer's body a client keeps, for its error message. */
export const REFUSAL_BYTES_KEPT = 4096;
const REFUSAL_TEXT_CHARS = 300;

/** The start of a refused answer's body, as its error shows it. */
export function refusalText(body: Buffer): string {
  return body.toString('utf8', 0, REFUSAL_TEXT_CHARS * 4).slice(0, REFUSAL_TEXT_CHARS);
}
