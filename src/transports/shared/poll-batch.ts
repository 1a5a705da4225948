import type { OutgoingHttpHeaders, ServerResponse } from 'node:http';
import { MAX_BATCH_BYTES } from '../../core/constants.js';
import type { Broker, BrokerEntry } from '../../broker/broker.js';
import type { Cursor } from '../../broker/request-params.js';
import { sendNoContent } from '../../broker/http-util.js';
import { MORE_HEADER } from '../../core/wire.js';
import type { CopyBurner } from './copy-burner.js';

const OPEN = Buffer.from('[');
const COMMA = Buffer.from(',');
const CLOSE = Buffer.from(']');
const JSON_HEADERS = { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' };

/**
 * The JSON array the polling techniques answer with: a reset marker when the client's cursor
 * came from another log, the gap marker, then envelopes,
 * about `MAX_BATCH_BYTES` at most (the client polls again from its new cursor for the rest).
 * Its headers are built with it, so every poll answered with the same batch shares them.
 */
export interface Batch {
  body: Buffer;
  headers: OutgoingHttpHeaders;
  /** Envelopes it carries, markers left out. */
  envelopes: number;
}

/** `more`: the answer stopped before the end of the log, so the client should ask again at once. */
function batchOf(body: Buffer, more: boolean, envelopes: number): Batch {
  const headers: OutgoingHttpHeaders = { ...JSON_HEADERS, 'content-length': body.length };
  if (more) headers[MORE_HEADER] = '1';
  return { body, headers, envelopes };
}

export function batchAfter(broker: Broker, channel: string, cursor: Cursor): Batch | undefined {
  // The common answer, nothing new: a cursor at the end of the log can have no gap before it either.
  if (!cursor.reset && cursor.since >= broker.lastSeq(channel)) return undefined;
  const read = broker.readAfter(channel, cursor.since, MAX_BATCH_BYTES);
  if (!cursor.reset && read.gap === undefined && read.entries.length === 0) return undefined;
  const items: Buffer[] = [];
  if (cursor.reset) items.push(Buffer.from(JSON.stringify({ reset: { epoch: broker.epoch } })));
  if (read.gap !== undefined) items.push(Buffer.from(JSON.stringify({ gap: read.gap })));
  for (const entry of read.entries) items.push(entry.bytes);
  const parts: Buffer[] = [OPEN];
  // A comma between every two items, markers included: [{"reset":…},{"gap":…},{…}].
  for (const [i, item] of items.entries()) parts.push(...(i === 0 ? [item] : [COMMA, item]));
  parts.push(CLOSE);
  const last = read.entries.at(-1)?.seq ?? cursor.since;
  return batchOf(Buffer.concat(parts), last < broker.lastSeq(channel), read.entries.length);
}

/** The answer to a poll that was waiting for exactly this entry: built once, sent to every such poll. */
export function singleEntryBatch(entry: BrokerEntry): Batch {
  return batchOf(Buffer.concat([OPEN, entry.bytes, CLOSE]), false, 1);
}

/** `burn`: calibration only (`serve --calibrate-cpu`), once per envelope of this answer, each a copy. */
export function sendBatch(res: ServerResponse, batch: Batch | undefined, burn?: CopyBurner): void {
  if (batch === undefined) {
    sendNoContent(res);
    return;
  }
  burn?.(batch.envelopes);
  res.writeHead(200, batch.headers);
  res.end(batch.body);
}
