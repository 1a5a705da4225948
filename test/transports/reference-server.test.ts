import { connect } from 'node:net';
import { once } from 'node:events';
import { describe, expect, it } from 'vitest';
import { ReferenceServer } from '../../src/server/reference-server.js';
import { TRANSPORT_NAMES, TRANSPORTS } from '../../src/transports/registry.js';
import { openClient } from '../helpers/clients.js';
import { httpRequest } from '../helpers/http.js';
import { publish, startServer } from '../helpers/server.js';
import { waitFor } from '../helpers/wait.js';

function post(url: string, body: string, headers: Record<string, string> = {}): ReturnType<typeof httpRequest> {
  return httpRequest(url, { method: 'POST', body, headers: { 'content-type': 'application/json', ...headers } });
}

/** Sends raw bytes and returns the first line of whatever comes back. */
async function rawStatusLine(port: number, request: string): Promise<string> {
  const socket = connect(port, '127.0.0.1');
  await once(socket, 'connect');
  socket.end(request);
  let received = '';
  socket.on('data', (chunk: Buffer) => (received += chunk.toString('latin1')));
  await once(socket, 'close');
  return received.split('\r\n')[0]!;
}

describe('reference server: publishing', () => {
  it('answers POST /publish with 202 and the assigned seq', async () => {
    const server = await startServer();
    const first = await post(`${server.url}/publish`, '{"data":"a"}');
    expect(first.status).toBe(202);
    const epoch = server.broker.epoch;
    expect(JSON.parse(first.text)).toEqual({ seq: 1, epoch });
    expect(JSON.parse((await post(`${server.url}/publish`, '{"data":"b","ch":"room"}')).text)).toEqual({
      seq: 1,
      epoch,
    });
    expect(JSON.parse((await post(`${server.url}/publish`, '{"data":"c"}')).text)).toEqual({ seq: 2, epoch });
  });

  it.each([
    ['invalid JSON', '{"data":', 'bad_json'],
    ['a JSON array', '[1]', 'bad_body'],
    ['no data', '{"ch":"default"}', 'bad_data'],
    ['a non-string data', '{"data":1}', 'bad_data'],
    ['a non-numeric t', '{"data":"x","t":"soon"}', 'bad_t'],
    ['a numeric t', '{"data":"x","t":12}', 'bad_t'],
    ['a bad channel name', '{"data":"x","ch":"a b"}', 'bad_ch'],
    ['a non-string from', '{"data":"x","from":{}}', 'bad_from'],
  ])('refuses %s with 400 naming the problem', async (_case, body, code) => {
    const server = await startServer();
    const answer = await post(`${server.url}/publish`, body);
    expect(answer.status).toBe(400);
    expect(JSON.parse(answer.text)).toMatchObject({ error: { code, message: expect.any(String) } });
    expect(server.broker.published).toBe(0);
  });

  it('refuses a body over --max-message with 413, declared or streamed, and keeps serving', async () => {
    const server = await startServer({ maxMessageBytes: 1024 });
    const big = JSON.stringify({ data: 'x'.repeat(2000) });
    expect((await post(`${server.url}/publish`, big)).status).toBe(413);
    const chunked = `POST /publish HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n\r\n${(2000).toString(16)}\r\n${'x'.repeat(2000)}\r\n0\r\n\r\n`;
    expect(await rawStatusLine(server.port, chunked)).toBe('HTTP/1.1 413 Payload Too Large');
    expect(await publish(server.url, 'fits')).toBe(1);
  });

  it('refuses a publish with 503 once the broker holds its byte budget in other channels', async () => {
    const server = await startServer({ brokerBytes: 4_096 });
    expect((await post(`${server.url}/publish`, JSON.stringify({ ch: 'a', data: 'x'.repeat(3_000) }))).status).toBe(
      202,
    );
    const refused = await post(`${server.url}/publish`, JSON.stringify({ ch: 'b', data: 'x'.repeat(3_000) }));
    expect(refused.status).toBe(503);
    expect(JSON.parse(refused.text)).toMatchObject({ error: { code: 'broker_full' } });
    // The full channel itself keeps publishing, at the cost of its own oldest messages.
    expect((await post(`${server.url}/publish`, JSON.stringify({ ch: 'a', data: 'x'.repeat(3_000) }))).status).toBe(
      202,
    );
  });

  it('refuses a publish from a foreign page origin with 403', async () => {
    const server = await startServer();
    const answer = await post(`${server.url}/publish`, '{"data":"x"}', { origin: 'http://evil.example' });
    expect(answer.status).toBe(403);
    expect((await post(`${server.url}/publish`, '{"data":"x"}', { origin: server.url })).status).toBe(202);
  });
});

describe('reference server: routing and limits', () => {
  it.each([
    '/nope',
    '/poll/',
    '/POLL',
    '/publish/x',
    '/index.html',
    '/..%2f..%2fpackage.json',
    '/demo.js/../../package.json',
    '/%2e%2e/package.json',
    '//etc/passwd',
  ])('answers %s with 404 and a JSON error', async (path) => {
    const server = await startServer();
    const answer = await httpRequest(`${server.url}${path}`);
    expect(answer.status).toBe(404);
    expect(JSON.parse(answer.text)).toMatchObject({ error: { code: 'not_found' } });
  });

  it('answers a known path with the wrong method with 405 and Allow', async () => {
    const server = await startServer();
    const answer = await httpRequest(`${server.url}/poll`, { method: 'DELETE' });
    expect(answer.status).toBe(405);
    expect(answer.headers.allow).toBe('GET, HEAD');
    expect((await httpRequest(`${server.url}/publish`)).headers.allow).toBe('POST');
  });

  it('answers oversize headers with 431 and keeps serving', async () => {
    const server = await startServer();
    const request = `GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: ${'x'.repeat(20_000)}\r\n\r\n`;
    expect(await rawStatusLine(server.port, request)).toBe('HTTP/1.1 431 Request Header Fields Too Large');
    expect((await httpRequest(`${server.url}/health`)).status).toBe(200);
  });

  it('answers an ordinary request that asks to upgrade (h2c) over HTTP/1.1 instead of refusing it', async () => {
    const server = await startServer();
    const request =
      'GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: Upgrade, HTTP2-Settings\r\nUpgrade: h2c\r\nHTTP2-Settings: AAMAAABkAAQCAAAAAAIAAAAA\r\n\r\n';
    expect(await rawStatusLine(server.port, request)).toBe('HTTP/1.1 200 OK');
    expect(await rawStatusLine(server.port, request.replace('/health', '/nowhere'))).toBe('HTTP/1.1 404 Not Found');
  });

  it('serves only the enabled techniques', async () => {
    const server = await startServer({ transports: ['sse'] });
    expect((await httpRequest(`${server.url}/poll`)).status).toBe(404);
    expect((await httpRequest(`${server.url}/long-poll?timeout=0`)).status).toBe(404);
    expect(server.stats().transports).toEqual(['sse']);
  });

  it('tells which port is taken when it cannot listen', async () => {
    const server = await startServer();
    await expect(ReferenceServer.start({ port: server.port })).rejects.toMatchObject({ code: 'IMB_ERR_PORT_IN_USE' });
  });
});

describe('reference server: health, stats and demo page', () => {
  it('answers /health with 200', async () => {
    const server = await startServer();
    const answer = await httpRequest(`${server.url}/health`);
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.text)).toEqual({ status: 'ok' });
  });

  it('reports open connections per technique, published count, CPU and RSS in /stats', async () => {
    const server = await startServer();
    for (const transport of TRANSPORTS) await openClient(transport, server.url, { longPollTimeoutMs: 10_000 });
    await waitFor(() => server.stats().connections['long-polling'] === 1, 'the long poll to reach the server');
    await publish(server.url, 'counted');
    const stats = JSON.parse((await httpRequest(`${server.url}/stats`)).text) as ReturnType<ReferenceServer['stats']>;
    expect(stats.connections).toEqual(Object.fromEntries(TRANSPORT_NAMES.map((name) => [name, 1])));
    expect(stats.published).toBe(1);
    expect(stats.channels).toEqual({ default: { lastSeq: 1, firstKept: 1 } });
    expect(stats.cpuSeconds.total).toBeGreaterThan(0);
    expect(stats.cpuSeconds.total).toBeCloseTo(stats.cpuSeconds.user + stats.cpuSeconds.system, 6);
    expect(stats.rssBytes).toBeGreaterThan(10 * 1024 * 1024);
  });

  it.each([
    ['/', 'text/html', '<title>im-bench'],
    ['/demo.js', 'text/javascript', 'function createPanel('],
    ['/demo/shared.js', 'text/javascript', 'export function showBatch('],
    ['/demo/sse.js', 'text/javascript', 'new EventSource('],
    ['/demo.css', 'text/css', '.panel'],
  ])('serves %s from the package', async (path, type, content) => {
    const server = await startServer();
    const answer = await httpRequest(`${server.url}${path}`);
    expect(answer.status).toBe(200);
    expect(answer.headers['content-type']).toContain(type);
    expect(answer.text).toContain(content);
  });

  it('has a panel and a script for every registered technique', async () => {
    const server = await startServer();
    const page = (await httpRequest(`${server.url}/`)).text;
    for (const transport of TRANSPORTS) {
      expect(page).toContain(`<section class="panel" id="panel-${transport.name}" data-transport="${transport.name}">`);
      expect(page).toContain(`<h2>${transport.title}</h2>`);
      const script = await httpRequest(`${server.url}/demo/${transport.name}.js`);
      expect(script.status, transport.name).toBe(200);
      expect(script.text, transport.name).toContain('export ');
    }
    expect((await httpRequest(`${server.url}/demo/not-a-technique.js`)).status).toBe(404);
  });
});
