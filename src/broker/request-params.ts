import { CHANNEL_NAME_PATTERN, DEFAULT_CHANNEL, EPOCH_PATTERN, MAX_LONG_POLL_TIMEOUT_MS } from '../core/constants.js';
import { quoteInput } from './describe-input.js';
import { HttpError } from './http-util.js';

const UNSIGNED_INTEGER = /^\d{1,16}$/;

function badRequest(code: string, message: string): HttpError {
  return new HttpError(400, code, message);
}

/** The one value of a query parameter; a repeated parameter is ambiguous and refused. */
export function singleParam(query: URLSearchParams, name: string): string | undefined {
  const values = query.getAll(name);
  if (values.length > 1)
    throw badRequest(`bad_${name}`, `${name} must be given at most once, got ${values.length} values`);
  return values[0];
}

/** A sequence cursor: a non-negative safe integer, written in decimal digits only. */
export function parseSeq(value: string, name: string): number {
  const n = UNSIGNED_INTEGER.test(value) ? Number(value) : Number.NaN;
  if (!Number.isSafeInteger(n)) {
    throw badRequest(`bad_${name}`, `${name} must be a non-negative integer, got ${quoteInput(value)}`);
  }
  return n;
}

export function sinceFromQuery(query: URLSearchParams): number {
  const value = singleParam(query, 'since');
  return value === undefined ? 0 : parseSeq(value, 'since');
}

export function channelFromQuery(query: URLSearchParams): string {
  const value = singleParam(query, 'ch');
  if (value === undefined) return DEFAULT_CHANNEL;
  return checkChannelName(value);
}

export function checkChannelName(value: string): string {
  if (!CHANNEL_NAME_PATTERN.test(value)) {
    throw badRequest('bad_ch', `ch must be 1-64 characters of A-Z a-z 0-9 _ . : -, got ${quoteInput(value)}`);
  }
  return value;
}

export function timeoutFromQuery(query: URLSearchParams, defaultMs: number): number {
  const value = singleParam(query, 'timeout');
  if (value === undefined) return defaultMs;
  const ms = UNSIGNED_INTEGER.test(value) ? Number(value) : Number.NaN;
  if (!(ms <= MAX_LONG_POLL_TIMEOUT_MS)) {
    throw badRequest(
      'bad_timeout',
      `timeout must be an integer from 0 to ${MAX_LONG_POLL_TIMEOUT_MS} ms, got ${quoteInput(value)}`,
    );
  }
  return ms;
}

export interface Cursor {
  since: number;
  /** The client's cursor came from another log (a server restarted without its journal): it starts over at 0. */
  reset: boolean;
}

function epochFromQuery(query: URLSearchParams): string | undefined {
  const named = singleParam(query, 'epoch');
  if (named !== undefined && !EPOCH_PATTERN.test(named)) {
    throw badRequest('bad_epoch', `epoch must be 1-64 characters of A-Z a-z 0-9 -, got ${quoteInput(named)}`);
  }
  return named;
}

/**
 * The resume point of a subscribe request. Every cursor source it carries is checked first, so
 * that a bad one is a 400 whichever would have won: the query's `since` and `epoch`, and the
 * `Last-Event-ID` header where the technique reads it (SSE; an empty one counts as none). Then
 * the precedence picks one: an `epoch` that is not this log's means the cursor belongs to
 * another log, so the client starts over at 0; else `Last-Event-ID`, newer than the `since` in
 * a reconnecting browser's URL; else `since`; else 0.
 */
export function subscribeCursor(query: URLSearchParams, epoch: string, lastEventId?: string): Cursor {
  const since = sinceFromQuery(query);
  const resumed = lastEventId === undefined || lastEventId === '' ? undefined : parseSeq(lastEventId, 'Last-Event-ID');
  const named = epochFromQuery(query);
  if (named !== undefined && named !== epoch) return { since: 0, reset: true };
  return { since: resumed ?? since, reset: false };
}
