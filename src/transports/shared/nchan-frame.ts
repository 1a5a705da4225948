/**
 * A WebSocket frame of nchan's `ws+meta.nchan` subprotocol: `id: T:G\n`, optionally
 * `content-type: X\n`, a blank line, then the message body. Returns null when the frame does
 * not have that form (a frame without its id cannot move the cursor).
 */
export function nchanMetaFrame(frame: string): { id: string; body: string } | null {
  const end = frame.indexOf('\n\n');
  if (end === -1) return null;
  let id: string | undefined;
  for (const line of frame.slice(0, end).split('\n')) {
    const colon = line.indexOf(':');
    if (colon === -1) return null;
    if (line.slice(0, colon).trim().toLowerCase() === 'id') id = line.slice(colon + 1).trim();
  }
  return id === undefined || id === '' ? null : { id, body: frame.slice(end + 2) };
}
