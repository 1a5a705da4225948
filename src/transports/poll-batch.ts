import type { ServerResponse } from 'node:http';
import type { ReadResult } from '../server/broker.js';
import { sendJson, sendNoContent } from '../server/http-util.js';

/** The JSON array the polling techniques answer with: the gap marker first, then envelopes. */
export function encodeBatch(read: ReadResult): string | undefined {
  if (read.gap === undefined && read.entries.length === 0) return undefined;
  const parts = read.entries.map((entry) => entry.json);
  if (read.gap !== undefined) parts.unshift(JSON.stringify({ gap: read.gap }));
  return `[${parts.join(',')}]`;
}

export function sendBatch(res: ServerResponse, body: string | undefined): void {
  if (body === undefined) sendNoContent(res);
  else sendJson(res, 200, body);
}
