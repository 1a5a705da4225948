// What the technique panels share (each technique's own script is in its folder, src/transports/NAME/demo.js).
export const RETRY_AFTER_FAILURE_MS = 2000;

const encoder = new TextEncoder();
export const byteLength = (text) => encoder.encode(text).length;
export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Shows a batch of the wire contract (gap marker first, then envelopes) and returns the new cursor. */
export function showBatch(panel, batch, cursor) {
  for (const item of batch) {
    if (item.gap) {
      panel.gap(item.gap);
      cursor = Math.max(cursor, item.gap.to);
    } else {
      panel.message(item);
      cursor = Math.max(cursor, item.seq);
    }
  }
  return cursor;
}

/** Reads a poll answer (a JSON array), counts its bytes and shows it; returns the new cursor. */
export async function readBatch(panel, response, cursor) {
  const text = await response.text();
  panel.count('bytes', byteLength(text));
  return showBatch(panel, JSON.parse(text), cursor);
}
