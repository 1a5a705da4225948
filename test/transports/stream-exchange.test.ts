import { describe, expect, it } from 'vitest';
import { ClientMeter } from '../../src/transports/shared/client-meter.js';
import { SubscribeRefused } from '../../src/transports/shared/client-support.js';
import { plainOrigin } from '../../src/transports/shared/plain-connection.js';
import { StreamExchange } from '../../src/transports/shared/stream-exchange.js';
import { defer } from '../helpers/cleanup.js';
import { rawServer } from '../helpers/raw-server.js';

const SSE_HEAD = 'HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\ntransfer-encoding: chunked\r\n\r\n';

function chunked(text: string): string {
  return `${Buffer.byteLength(text).toString(16)}\r\n${text}\r\n`;
}

/** One stream of `path`, its chunks collected as text; `reading` false holds it unread (the slow fault). */
function streamOf(url: string, path: string, silenceLimitMs = 5_000, reading = () => true) {
  const received: string[] = [];
  const opened: Array<Record<string, unknown>> = [];
  const exchange = new StreamExchange(
    { origin: plainOrigin(url), silenceLimitMs, meter: new ClientMeter() },
    path,
    { accept: 'text/event-stream', 'last-event-id': '7' },
    'text/event-stream',
    {
      opened: (headers) => opened.push(headers),
      chunk: (chunk) => {
        if (!reading()) return false;
        received.push(chunk.toString());
        return true;
      },
    },
  );
  defer(() => exchange.destroy());
  return { exchange, received, opened };
}

describe('StreamExchange (one streaming GET on a socket of its own)', () => {
  it("writes undici's request head, hands over each chunk, and ends when the server ends the stream", async () => {
    const server = await rawServer((_request, socket) => {
      socket.write(`${SSE_HEAD}${chunked('data: 1\n\n')}`);
      setTimeout(() => socket.write(`${chunked('data: 2\n\n')}0\r\n\r\n`), 20);
    });
    const { exchange, received, opened } = streamOf(server.url, '/sse?ch=a');
    const headers = await exchange.accepted;
    expect(headers['content-type']).toBe('text/event-stream');
    await exchange.ended;
    expect(received.join('')).toBe('data: 1\n\ndata: 2\n\n');
    expect(opened).toHaveLength(1);
    const host = new URL(server.url).host;
    expect(server.requests[0]).toBe(
      `GET /sse?ch=a HTTP/1.1\r\nhost: ${host}\r\nconnection: keep-alive\r\naccept: text/event-stream\r\nlast-event-id: 7\r\n\r\n`,
    );
  });

  it('ends without an error a stream without a length when its connection closes', async () => {
    const server = await rawServer((_request, socket) => {
      socket.end('HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\nconnection: close\r\n\r\ndata: 1\n\n');
    });
    const { exchange, received } = streamOf(server.url, '/sse');
    await exchange.ended;
    expect(received.join('')).toBe('data: 1\n\n');
  });

  it('refuses another status or content type with the start of the body, and never hands that body over', async () => {
    const server = await rawServer((request, socket) => {
      const body = request.includes('/gone') ? 'no such channel' : '{"not":"a stream"}';
      const type = request.includes('/gone') ? 'text/plain' : 'application/json';
      const status = request.includes('/gone') ? '404 Not Found' : '200 OK';
      socket.write(`HTTP/1.1 ${status}\r\ncontent-type: ${type}\r\ncontent-length: ${body.length}\r\n\r\n${body}`);
    });
    const gone = streamOf(server.url, '/gone');
    const error = await gone.exchange.accepted.catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(SubscribeRefused);
    expect((error as SubscribeRefused).statusCode).toBe(404);
    expect((error as Error).message).toBe('GET /gone answered 404: no such channel');
    const json = streamOf(server.url, '/json');
    await expect(json.exchange.accepted).rejects.toThrow('GET /json answered 200: {"not":"a stream"}');
    expect([...gone.received, ...json.received, ...gone.opened, ...json.opened]).toEqual([]);
  });

  it('breaks a stream cut short, a silent one, and a refused connection, naming each', async () => {
    const server = await rawServer((request, socket) => {
      socket.write(`${SSE_HEAD}${chunked('data: 1\n\n')}`);
      if (request.includes('/cut')) setTimeout(() => socket.destroy(), 20);
    });
    const cut = streamOf(server.url, '/cut');
    await expect(cut.exchange.ended).rejects.toThrow('GET /cut: the connection closed before the stream ended');
    const silent = streamOf(server.url, '/silent', 100);
    await silent.exchange.accepted;
    await expect(silent.exchange.ended).rejects.toThrow('GET /silent: nothing received for 100 ms or more');
    expect(silent.received).toEqual(['data: 1\n\n']);

    const refused = streamOf('http://127.0.0.1:1', '/sse');
    await expect(refused.exchange.accepted).rejects.toMatchObject({ code: 'ECONNREFUSED' });
  });

  it('holds a stream its client stopped reading, silent or not, until it is closed', async () => {
    const server = await rawServer((_request, socket) => {
      socket.write(`${SSE_HEAD}${chunked('data: 1\n\n')}`);
      setTimeout(() => socket.write(chunked('data: 2\n\n')), 50);
    });
    let reading = true;
    const { exchange, received } = streamOf(server.url, '/sse', 100, () => reading);
    await exchange.accepted;
    reading = false;
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(received).toEqual(['data: 1\n\n']);
    let settled = false;
    void exchange.ended.then(() => (settled = true));
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(settled).toBe(false);
    await exchange.destroy();
    await exchange.ended;
  });

  it('fails a subscription still waiting for its answer when it is closed', async () => {
    const server = await rawServer(() => {});
    const { exchange } = streamOf(server.url, '/sse');
    const accepted = exchange.accepted.catch((error: unknown) => error);
    await exchange.destroy();
    expect(((await accepted) as Error).message).toBe('GET /sse: closed before an answer');
  });
});
