import { once } from 'node:events';
import { createServer, type AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { ClientMeter } from '../../src/transports/shared/client-meter.js';
import { PollExchange } from '../../src/transports/shared/poll-exchange.js';
import { defer } from '../helpers/cleanup.js';
import { waitFor } from '../helpers/wait.js';
import { rawServer } from '../helpers/raw-server.js';

/** One poll: resolves with the exchange's answer, or rejects with its failure. */
function exchangeFor(
  url: string,
  answerTimeoutMs = 5_000,
): {
  exchange: PollExchange;
  poll: (path: string) => Promise<{ status: number; body: string; epoch: string | undefined }>;
} {
  let settle: ((error: Error | undefined) => void) | undefined;
  const exchange = new PollExchange({ baseUrl: url, answerTimeoutMs, meter: new ClientMeter() }, (error) =>
    settle?.(error),
  );
  defer(() => exchange.destroy());
  const poll = (path: string) =>
    new Promise<{ status: number; body: string; epoch: string | undefined }>((resolve, reject) => {
      settle = (error) => {
        if (error !== undefined) reject(error);
        else
          resolve({
            status: exchange.statusCode,
            body: exchange.body().toString(),
            epoch: exchange.header('im-bench-epoch'),
          });
      };
      exchange.send(path);
    });
  return { exchange, poll };
}

const NO_CONTENT = 'HTTP/1.1 204 No Content\r\nIm-Bench-Epoch: e1\r\n\r\n';

describe('PollExchange: one poll at a time over a raw keep-alive connection', () => {
  it('writes the header lines undici writes, and keeps one connection for poll after poll', async () => {
    const server = await rawServer((_request, socket) => socket.write(NO_CONTENT));
    const { poll } = exchangeFor(server.url);
    for (const since of [0, 0, 1])
      expect(await poll(`/poll?ch=a&since=${since}`)).toEqual({ status: 204, body: '', epoch: 'e1' });
    expect(server.connections).toBe(1);
    const host = new URL(server.url).host;
    expect(server.requests).toEqual([
      `GET /poll?ch=a&since=0 HTTP/1.1\r\nhost: ${host}\r\nconnection: keep-alive\r\n\r\n`,
      `GET /poll?ch=a&since=0 HTTP/1.1\r\nhost: ${host}\r\nconnection: keep-alive\r\n\r\n`,
      `GET /poll?ch=a&since=1 HTTP/1.1\r\nhost: ${host}\r\nconnection: keep-alive\r\n\r\n`,
    ]);
  });

  it('reads bodies by length, chunked, and up to the close of the connection; a closing answer costs a new connection', async () => {
    const body = '{"messages":[]}';
    const server = await rawServer((_request, socket, index) => {
      if (index === 0) socket.write(`HTTP/1.1 200 OK\r\ncontent-length: ${body.length}\r\n\r\n${body}`);
      if (index === 1)
        socket.write(
          `HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n5\r\n{"mes\r\n${(body.length - 5).toString(16)}\r\n${body.slice(5)}\r\n0\r\n\r\n`,
        );
      if (index === 2) socket.end(`HTTP/1.1 200 OK\r\nconnection: close\r\n\r\n${body}`);
      if (index === 3) socket.write(NO_CONTENT);
    });
    const { poll } = exchangeFor(server.url);
    for (let i = 0; i < 3; i++) expect(await poll('/poll')).toMatchObject({ status: 200, body });
    expect(await poll('/poll')).toMatchObject({ status: 204 });
    expect(server.connections).toBe(2);
  });

  it('opens a new connection when the server closed the idle one between polls', async () => {
    const server = await rawServer((_request, socket) => {
      socket.write(NO_CONTENT);
      socket.end();
    });
    const { poll } = exchangeFor(server.url);
    await poll('/poll');
    await waitFor(() => server.connections === 1, 'the first connection');
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(await poll('/poll')).toMatchObject({ status: 204 });
    expect(server.connections).toBe(2);
  });

  it('fails the poll, naming it, on a malformed answer, an answer cut short, silence past the timeout and a refused connection', async () => {
    const server = await rawServer((request, socket) => {
      if (request.startsWith('GET /garbled')) socket.write('SMTP ready\r\n\r\n');
      if (request.startsWith('GET /cut')) socket.end('HTTP/1.1 200 OK\r\ncontent-length: 100\r\n\r\n{"mess');
      // GET /silent: no answer at all.
    });
    const { poll } = exchangeFor(server.url, 300);
    await expect(poll('/garbled')).rejects.toThrow(/^GET \/garbled: malformed HTTP answer/);
    await expect(poll('/cut')).rejects.toThrow('GET /cut: the connection closed before the answer was complete');
    await expect(poll('/silent')).rejects.toThrow('GET /silent: no answer within 300 ms');
    // The exchange recovers on a new connection after each failure.
    expect(server.connections).toBe(3);

    const closed = createServer();
    closed.listen(0, '127.0.0.1');
    await once(closed, 'listening');
    const port = (closed.address() as AddressInfo).port;
    closed.close();
    await once(closed, 'close');
    await expect(exchangeFor(`http://127.0.0.1:${port}`).poll('/poll')).rejects.toMatchObject({ code: 'ECONNREFUSED' });
  });
});
