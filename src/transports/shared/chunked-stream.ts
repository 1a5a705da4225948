import type { ServerResponse } from 'node:http';

const CRLF = Buffer.from('\r\n');

/**
 * One HTTP/1.1 chunk (`<size in hex>\r\n<data>\r\n`) in one buffer. A message sent to every
 * stream is chunked once here, where `res.write` would build the size line and a four-part
 * write for each stream. `data` must not be empty: an empty chunk ends the body.
 */
export function chunk(data: Buffer): Buffer {
  if (data.length === 0) throw new RangeError('an empty chunk would end the response body');
  return Buffer.concat([Buffer.from(`${data.length.toString(16)}\r\n`), data, CRLF]);
}

/** The data of the chunks in `chunks`, in order (the inverse of `chunk`, for several). */
export function unchunk(chunks: Buffer): Buffer[] {
  const parts: Buffer[] = [];
  for (let at = 0; at < chunks.length; ) {
    const lineEnd = chunks.indexOf(CRLF, at);
    const size = Number.parseInt(chunks.toString('latin1', at, lineEnd), 16);
    parts.push(chunks.subarray(lineEnd + 2, lineEnd + 2 + size));
    at = lineEnd + 2 + size + 2;
  }
  return parts;
}

/**
 * Writes chunks built by `chunk` to a streaming response. While Node frames the response in
 * chunks on a socket of its own, they go to the socket as they are, behind everything the
 * response wrote before (its head and earlier writes sit in the same socket buffer). Otherwise
 * (an HTTP/1.0 request, or a response still queued behind an earlier one on its connection)
 * the data goes through `res.write` for Node to frame.
 */
export function writeChunks(res: ServerResponse, chunks: Buffer, flushed?: () => void): void {
  const socket = res.socket;
  if (socket !== null && res.chunkedEncoding && res.headersSent) {
    // A response that ended (its last chunk written) or a socket that cannot take more gets nothing.
    if (res.writableEnded || !socket.writable) {
      if (flushed !== undefined) process.nextTick(flushed);
    } else if (flushed === undefined) {
      socket.write(chunks);
    } else {
      socket.write(chunks, () => flushed());
    }
    return;
  }
  const parts = unchunk(chunks);
  const last = parts.length - 1;
  for (let i = 0; i < last; i++) res.write(parts[i]!);
  if (flushed === undefined) res.write(parts[last]!);
  else res.write(parts[last]!, () => flushed());
}
