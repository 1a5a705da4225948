/**
 * The parts of a `multipart/mixed` body (RFC 2046 §5.1), as nchan's multipart long-poll sends
 * them: `--B[\r\nheaders]\r\n\r\nbody\r\n--B…\r\n--B--`. The line break before each delimiter
 * belongs to the delimiter, not to the part. Returns null when the body is not such a body.
 */
export function multipartParts(body: string, boundary: string): string[] | null {
  const delimiter = `\r\n--${boundary}`;
  const text = `\r\n${body}`;
  if (!text.startsWith(delimiter)) return null;
  const parts: string[] = [];
  let at = delimiter.length;
  for (;;) {
    if (text.startsWith('--', at)) return parts;
    const next = text.indexOf(delimiter, at);
    if (next === -1) return null;
    const part = partBody(text.slice(at, next));
    if (part === null) return null;
    parts.push(part);
    at = next + delimiter.length;
  }
}

/** A part after its delimiter: the rest of the delimiter line, its headers, a blank line, the body. */
function partBody(part: string): string | null {
  if (part.startsWith('\r\n\r\n')) return part.slice(4);
  const end = part.indexOf('\r\n\r\n');
  return end === -1 ? null : part.slice(end + 4);
}

/** The boundary of a `multipart/mixed; boundary=…` content type; null for any other type. */
export function multipartBoundary(contentType: string | undefined): string | null {
  if (contentType === undefined || !/^\s*multipart\/mixed\s*(;|$)/i.test(contentType)) return null;
  const match = /;\s*boundary=(?:"([^"]+)"|([^\s;]+))/i.exec(contentType);
  return match === null ? null : (match[1] ?? match[2] ?? null);
}
