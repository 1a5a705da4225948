const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;

function isJsonWhitespace(byte: number): boolean {
  return byte === 0x20 || byte === 0x0a || byte === 0x0d || byte === 0x09;
}

/**
 * The byte length of each item of the JSON array in `body`, in order, from its first byte to its
 * last: the whitespace between items, the brackets and the commas belong to none of them. This is
 * how a poll answer's envelopes are measured exactly as they came, so that whatever a server puts
 * around them (padding, a pretty-printer's indentation) stays outside E. The body is one that
 * `JSON.parse` accepted; anything before the array (a byte-order mark) is skipped.
 */
export function jsonArrayItemLengths(body: Uint8Array): number[] {
  const lengths: number[] = [];
  let depth = 0;
  let inString = false;
  let escaped = false;
  let start = -1;
  let last = -1;
  for (let i = 0; i < body.length; i++) {
    const byte = body[i]!;
    if (inString) {
      if (escaped) escaped = false;
      else if (byte === BACKSLASH) escaped = true;
      else if (byte === QUOTE) inString = false;
      last = i;
      continue;
    }
    if (isJsonWhitespace(byte)) continue;
    if (depth === 1 && (byte === COMMA || byte === CLOSE_ARRAY)) {
      if (start !== -1) lengths.push(last - start + 1);
      start = -1;
      if (byte === CLOSE_ARRAY) depth = 0;
      continue;
    }
    if (depth === 0) {
      if (byte === OPEN_ARRAY) depth = 1;
      continue;
    }
    if (depth === 1 && start === -1) start = i;
    last = i;
    if (byte === QUOTE) inString = true;
    else if (byte === OPEN_ARRAY || byte === OPEN_OBJECT) depth++;
    else if (byte === CLOSE_ARRAY || byte === CLOSE_OBJECT) depth--;
  }
  return lengths;
}
