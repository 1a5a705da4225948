import type { IncomingMessage } from 'node:http';
import { isIP } from 'node:net';
import { quoteInput } from './describe-input.js';
import { HttpError } from './http-util.js';

/**
 * The defence against DNS rebinding that dev servers use (Vite's `server.allowedHosts`,
 * webpack-dev-server's `allowedHosts`). A page on `evil.example` whose name the attacker
 * rebinds to 127.0.0.1 reaches our port as a same-origin request, so the Origin check
 * passes; but its requests still say `Host: evil.example`. The server answers only Host
 * values that cannot be rebound: IP literals, `localhost` and `*.localhost` (RFC 6761 §6.3:
 * they always mean the loopback), and names its user allowed. Names are compared without
 * case and without one trailing dot (`LOCALHOST.` is `localhost`).
 */

const HOST_NAME = /^[a-z0-9_-]+(\.[a-z0-9_-]+)*$/;
const PORT = /^:\d*$/;

/** A name as the allow-list compares it: lower case, without the trailing dot of a fully qualified name. */
export function normalizeHostName(name: string): string {
  const lower = name.toLowerCase();
  return lower.endsWith('.') ? lower.slice(0, -1) : lower;
}

/** A name `--allow-host` accepts: a host name, or `.name` for it and every name under it. */
export function isAllowHostPattern(pattern: string): boolean {
  return HOST_NAME.test(normalizeHostName(pattern.startsWith('.') ? pattern.slice(1) : pattern));
}

/** The host of a Host value (`uri-host [":" port]`, RFC 9110 §7.2): an IP literal, a name, or neither. */
function parseHost(value: string): { ip: true } | { ip: false; name: string } | undefined {
  if (value.startsWith('[')) {
    const end = value.indexOf(']');
    if (end === -1 || !(end === value.length - 1 || PORT.test(value.slice(end + 1)))) return undefined;
    return isIP(value.slice(1, end)) === 6 ? { ip: true } : undefined;
  }
  const colon = value.indexOf(':');
  if (colon !== -1 && !PORT.test(value.slice(colon))) return undefined;
  const host = colon === -1 ? value : value.slice(0, colon);
  if (isIP(host) === 4) return { ip: true };
  const name = normalizeHostName(host);
  return HOST_NAME.test(name) ? { ip: false, name } : undefined;
}

function nameAllowed(name: string, allowHosts: readonly string[]): boolean {
  if (name === 'localhost' || name.endsWith('.localhost')) return true;
  return allowHosts.some((pattern) =>
    pattern.startsWith('.') ? name === pattern.slice(1) || name.endsWith(pattern) : name === pattern,
  );
}

/** The longest name DNS has (RFC 1035 §2.3.4); a longer one is not suggested back. */
const MAX_NAME_LENGTH = 253;

function refusal(host: string, name: string | undefined): HttpError {
  const suggestion =
    name === undefined || name.length > MAX_NAME_LENGTH
      ? ''
      : `; to answer it, start the server with --allow-host ${name}`;
  return new HttpError(
    403,
    'forbidden_host',
    `host ${quoteInput(host)} is not allowed: this server answers IP addresses, localhost, *.localhost ` +
      `and the names given with --allow-host${suggestion}`,
  );
}

/** How many Host header lines the request carried: Node keeps the first of several. */
function hostLines(req: IncomingMessage): number {
  let count = 0;
  for (let i = 0; i < req.rawHeaders.length; i += 2) {
    const name = req.rawHeaders[i]!;
    // On every request: only a four-letter name is lowered and compared.
    if (name.length === 4 && name.toLowerCase() === 'host') count++;
  }
  return count;
}

/**
 * Refuses a request whose host is not allowed (403 `forbidden_host`). `authority` is the host of
 * an absolute-form target (`GET http://host/path`), which stands for the Host header (RFC 9112
 * §3.2.2). An HTTP/1.1 request must carry exactly one Host (400 `bad_host`); an HTTP/1.0 one
 * may carry none, and is answered: browsers always send Host, so it is no rebinding. An HTTP/2
 * request's host is its `:authority`.
 */
export function checkHost(req: IncomingMessage, allowHosts: readonly string[], authority?: string): void {
  if (req.httpVersionMajor === 2) {
    checkHostValue(http2Authority(req), allowHosts);
    return;
  }
  const lines = hostLines(req);
  if (lines > 1 || (lines === 0 && authority === undefined && req.httpVersion !== '1.0')) {
    throw new HttpError(400, 'bad_host', `a request must carry exactly one Host header, got ${lines}`);
  }
  const host = authority ?? req.headers.host;
  if (host !== undefined) checkHostValue(host, allowHosts);
}

/**
 * An HTTP/2 request names its host in `:authority`, or else in Host (RFC 9113 §8.3.1); with
 * both, they must agree. Without either it is refused (400 `bad_host`).
 */
function http2Authority(req: IncomingMessage): string {
  const pseudo = req.headers[':authority'];
  const authority = typeof pseudo === 'string' ? pseudo : undefined;
  const host = req.headers.host;
  if (authority !== undefined && host !== undefined && host !== authority)
    throw new HttpError(400, 'bad_host', `:authority ${quoteInput(authority)} and Host ${quoteInput(host)} differ`);
  const value = authority ?? host;
  if (value === undefined) throw new HttpError(400, 'bad_host', 'an HTTP/2 request must carry :authority or Host');
  return value;
}

function checkHostValue(host: string, allowHosts: readonly string[]): void {
  const parsed = parseHost(host);
  if (parsed?.ip === true) return;
  if (parsed !== undefined && nameAllowed(parsed.name, allowHosts)) return;
  throw refusal(host, parsed?.name);
}
