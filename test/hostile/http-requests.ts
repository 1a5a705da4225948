// Raw HTTP/1.1 requests for the hostile HTTP suites (http-input, http-request-lines).

/** Where the point is not whether the server closes, requests say `Connection: close` so nothing waits on keep-alive. */
export const CLOSE = 'Connection: close\r\n';

export function get(target: string, headers = ''): string {
  return `GET ${target} HTTP/1.1\r\nHost: 127.0.0.1\r\n${headers}\r\n`;
}

export function post(target: string, body: string | Buffer, headers = CLOSE): Buffer {
  const bytes = typeof body === 'string' ? Buffer.from(body) : body;
  return Buffer.concat([
    Buffer.from(
      `POST ${target} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: ${bytes.length}\r\n${headers}\r\n`,
    ),
    bytes,
  ]);
}
