// What the technique panels share (each technique's own script is in its folder, src/transports/NAME/demo.js).
export const RETRY_AFTER_FAILURE_MS = 2000;

const encoder = new TextEncoder();
export const byteLength = (text) => encoder.encode(text).length;
export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The bytes of a response's status line and header block, rebuilt from what fetch shows the page.
 * Resource Timing's transferSize would not do: Chromium reports the body plus a flat 300 bytes for
 * the headers, whatever they were. What the browser sent (its request line and headers) is not
 * shown to the page at all.
 */
export function headBytes(response) {
  let head = `HTTP/1.1 ${response.status} ${response.statusText}\r\n`;
  for (const [name, value] of response.headers) head += `${name}: ${value}\r\n`;
  return byteLength(`${head}\r\n`);
}

/** A chunk of a chunked body as sent: its length in hex, the data, and two line ends. */
export const chunkBytes = (dataBytes) => dataBytes.toString(16).length + 2 + dataBytes + 2;

/** A server-to-client WebSocket frame: the payload and a 2, 4 or 10 byte header (server frames carry no mask). */
export function frameBytes(payloadBytes) {
  const header = payloadBytes < 126 ? 2 : payloadBytes < 65536 ? 4 : 10;
  return header + payloadBytes;
}

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

/** Counts a poll answer's bytes (head and body, 204s too); shows a 200's batch and returns the new cursor. */
export async function readAnswer(panel, response, cursor) {
  const text = await response.text();
  panel.count('bytes', headBytes(response) + byteLength(text));
  return response.status === 200 ? showBatch(panel, JSON.parse(text), cursor) : cursor;
}
