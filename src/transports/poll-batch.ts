import type { ServerResponse } from 'node:http';
import { MAX_BATCH_BYTES } from '../core/constants.js';
import type { Broker, BrokerEntry } from '../server/broker.js';
import type { Cursor } from '../server/request-params.js';
import { sendNoContent } from '../server/http-util.js';

const OPEN = Buffer.from('[');
const COMMA = Buffer.from(',');
const CLOSE = Buffer.from(']');
const JSON_HEADERS = { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' };

/**
 * The JSON array the polling techniques answer with: a reset marker when the client's cursor
 * came from another log, the gap marker, then envelopes,
 * about `MAX_BATCH_BYTES` at most (the client polls again from its new cursor for the rest).
 */
export function batchAfter(broker: Broker, channel: string, cursor: Cursor): Buffer | undefined {
  const read = broker.readAfter(channel, cursor.since, MAX_BATCH_BYTES);
  if (!cursor.reset && read.gap === undefined && read.entries.length === 0) return undefined;
  const parts: Buffer[] = [OPEN];
  if (cursor.reset) parts.push(Buffer.from(JSON.stringify({ reset: { epoch: broker.epoch } })));
  if (read.gap !== undefined) parts.push(Buffer.from(JSON.stringify({ gap: read.gap })));
  for (const entry of read.entries) {
    if (parts.length > 1) parts.push(COMMA);
    parts.push(entry.bytes);
  }
  parts.push(CLOSE);
  return Buffer.concat(parts);
}

/** The answer to a poll that was waiting for exactly this entry: built once, sent to every such poll. */
export function singleEntryBatch(entry: BrokerEntry): Buffer {
  return Buffer.concat([OPEN, entry.bytes, CLOSE]);
}

export function sendBatch(res: ServerResponse, body: Buffer | undefined): void {
  if (body === undefined) {
    sendNoContent(res);
    return;
  }
  res.writeHead(200, { ...JSON_HEADERS, 'content-length': body.length });
  res.end(body);
}
