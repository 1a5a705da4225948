import type { IncomingMessage, ServerResponse } from 'node:http';

/** A client mistake, answered with `status` and a JSON error; never thrown past the host. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

/** The server's own fault (client input is answered as a 400 before): logged on stderr, answered 500 `internal`. */
export function internalError(error: unknown, message = 'internal server error'): HttpError {
  process.stderr.write(`im-bench serve: internal error: ${(error as Error).stack ?? String(error)}\n`);
  return new HttpError(500, 'internal', message);
}

export function errorBody(code: string, message: string): string {
  return JSON.stringify({ error: { code, message } });
}

/**
 * `connection: close` is HTTP/1.1's; HTTP/2 forbids connection headers (Node drops them with a
 * warning) and closes a connection with GOAWAY instead.
 */
function forProtocol(res: ServerResponse, headers: Record<string, string>): Record<string, string> {
  if (headers.connection === undefined || (res as { stream?: unknown }).stream === undefined) return headers;
  const { connection: _, ...rest } = headers;
  return rest;
}

export function sendJson(
  res: ServerResponse,
  status: number,
  body: string,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(body),
    'cache-control': 'no-store',
    ...forProtocol(res, headers),
  });
  res.end(body);
}

const NO_CONTENT_HEADERS = { 'cache-control': 'no-store' };

export function sendNoContent(res: ServerResponse, headers?: Record<string, string>): void {
  res.writeHead(
    204,
    headers === undefined ? NO_CONTENT_HEADERS : { ...NO_CONTENT_HEADERS, ...forProtocol(res, headers) },
  );
  res.end();
}

export function sendError(res: ServerResponse, error: HttpError): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  sendJson(res, error.status, errorBody(error.code, error.message), error.headers);
}

export function payloadTooLarge(maxBytes: number): HttpError {
  return new HttpError(413, 'payload_too_large', `request body exceeds the limit of ${maxBytes} bytes`, {
    connection: 'close',
  });
}

/** Reads the whole body, refusing (413) as soon as it passes `maxBytes`. */
export function readBody(req: IncomingMessage, maxBytes: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > maxBytes) return Promise.reject(payloadTooLarge(maxBytes));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let received = 0;
    req.on('data', (chunk: Buffer) => {
      received += chunk.length;
      if (received > maxBytes) {
        req.removeAllListeners('data');
        req.pause();
        reject(payloadTooLarge(maxBytes));
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}
