/**
 * A WebSocket frame of nchan's `ws+meta.nchan` subprotocol: `id: T:G\n`, optionally
 * `content-type: X\n`, a blank line, then the message body. Returns null when the frame does
 * not have that form (a frame without its id cannot move the cursor). On the per-copy path of
 * a fan-out: the meta lines are scanned in place, and only the id and the body are cut out.
 */
export function nchanMetaFrame(frame: string): { id: string; body: string; metaLength: number } | null {
  const end = frame.indexOf('\n\n');
  if (end === -1) return null;
  let id: string | undefined;
  for (let start = 0; start < end; ) {
    const newline = frame.indexOf('\n', start);
    const stop = newline === -1 || newline > end ? end : newline;
    const colon = frame.indexOf(':', start);
    if (colon === -1 || colon > stop) return null;
    if (namesId(frame, start, colon)) id = trimmedSlice(frame, colon + 1, stop);
    start = stop + 1;
  }
  if (id === undefined || id === '') return null;
  return { id, body: frame.slice(end + 2), metaLength: end + 2 };
}

/** frame.slice(from, to).trim() for the usual single spaces, without the intermediate string. */
function trimmedSlice(frame: string, from: number, to: number): string {
  let start = from;
  let end = to;
  while (start < end && frame.charCodeAt(start) === 0x20) start++;
  while (end > start && frame.charCodeAt(end - 1) === 0x20) end--;
  return frame.slice(start, end).trim();
}

/** Whether the line's name (from `start` to the colon) is `id`, in any case and spacing. */
function namesId(frame: string, start: number, colon: number): boolean {
  if (colon - start === 2)
    return (frame.charCodeAt(start) | 0x20) === 0x69 && (frame.charCodeAt(start + 1) | 0x20) === 0x64;
  return frame.slice(start, colon).trim().toLowerCase() === 'id';
}
