import type { IncomingMessage } from 'node:http';
import { EPOCH_HEADER, MORE_HEADER } from '../core/wire.js';
import { quoteInput } from './describe-input.js';
import { HttpError } from './http-util.js';

/**
 * Browsers send `Origin` on WebSocket handshakes and cross-site POSTs. Requests without one
 * (non-browser clients), from the server's own page, or from an allowed origin pass; any
 * other page is refused so it cannot subscribe or publish on a user's behalf.
 */
function isOriginAllowed(req: IncomingMessage, allowOrigins: readonly string[]): boolean {
  const origin = req.headers.origin;
  if (origin === undefined) return true;
  if (allowOrigins.includes('*') || allowOrigins.includes(origin)) return true;
  const host = req.headers.host;
  return host !== undefined && (origin === `http://${host}` || origin === `https://${host}`);
}

/** Refuses (403) a request from a page whose origin is not allowed. */
export function checkOrigin(req: IncomingMessage, allowOrigins: readonly string[]): void {
  if (isOriginAllowed(req, allowOrigins)) return;
  throw new HttpError(
    403,
    'forbidden_origin',
    `origin ${quoteInput(req.headers.origin ?? '')} is not allowed (see --allow-origin)`,
  );
}

/** CORS headers for an allowed foreign origin, so its pages may read our answers. */
export function corsHeaders(req: IncomingMessage, allowOrigins: readonly string[]): Record<string, string> {
  const origin = req.headers.origin;
  if (origin === undefined || allowOrigins.length === 0) return {};
  if (!allowOrigins.includes('*') && !allowOrigins.includes(origin)) return {};
  return {
    'access-control-allow-origin': origin,
    'access-control-expose-headers': `${EPOCH_HEADER}, ${MORE_HEADER}`,
    vary: 'Origin',
  };
}
