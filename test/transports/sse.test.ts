import { EventSource } from 'eventsource';
import { describe, expect, it } from 'vitest';
import { RawConnection } from '../hostile/raw-connection.js';
import { defer } from '../helpers/cleanup.js';
import { httpRequest, openStream } from '../helpers/http.js';
import { publishRange, startServer } from '../helpers/server.js';
import { TcpProxy } from '../helpers/tcp-proxy.js';
import { waitFor } from '../helpers/wait.js';

describe('SSE wire format', () => {
  it('streams retry: once, then id: <seq> and data: <envelope> per message', async () => {
    const server = await startServer({ reconnectDelayMs: 1234 });
    await publishRange(server.url, 1, 1);
    const stream = await openStream(`${server.url}/sse`, { accept: 'text/event-stream' });
    expect(stream.status).toBe(200);
    expect(stream.headers['content-type']).toMatch(/^text\/event-stream/);
    expect(stream.headers['cache-control']).toBe('no-store');
    await publishRange(server.url, 2, 2);
    await waitFor(() => stream.text().includes('id: 2\n'), 'the second message');

    const [retry, first, second] = stream.text().split('\n\n');
    expect(retry).toBe('retry: 1234');
    expect(first).toMatch(/^id: 1\ndata: \{"seq":1,"t":"\d+","ch":"default","from":null,"data":"m1"\}$/);
    expect(second).toMatch(/^id: 2\ndata: \{"seq":2,.*"data":"m2"\}$/);
  });

  it('sends a heartbeat comment every heartbeat interval', async () => {
    const server = await startServer({ heartbeatMs: 50 });
    const stream = await openStream(`${server.url}/sse`);
    await waitFor(() => stream.text().split(': heartbeat\n\n').length > 3, 'three heartbeats', 2_000);
  });

  it('announces a lost range as a named gap event', async () => {
    const server = await startServer({ ringSize: 3 });
    await publishRange(server.url, 1, 5);
    const stream = await openStream(`${server.url}/sse?since=0`);
    await waitFor(() => stream.text().includes('id: 5\n'), 'the kept messages');
    expect(stream.text()).toContain('\n\nevent: gap\ndata: {"from":1,"to":2}\n\nid: 3\n');
  });

  it('resumes from Last-Event-ID, which wins over the since in the URL', async () => {
    const server = await startServer();
    await publishRange(server.url, 1, 5);
    const stream = await openStream(`${server.url}/sse?since=1`, { 'last-event-id': '3' });
    await waitFor(() => stream.text().includes('id: 5\n'), 'the messages after 3');
    expect(stream.text()).not.toContain('id: 2\n');
    expect(stream.text()).not.toContain('id: 3\n');
    expect(stream.text()).toContain('id: 4\n');
  });

  it.each(['-1', 'abc', '1:0'])('refuses Last-Event-ID %j with 400', async (id) => {
    const server = await startServer();
    const answer = await httpRequest(`${server.url}/sse`, { headers: { 'last-event-id': id } });
    expect(answer.status).toBe(400);
    expect(JSON.parse(answer.text)).toMatchObject({ error: { code: 'bad_Last-Event-ID' } });
  });
});

describe('SSE read by the eventsource package (a spec-following client)', () => {
  function listen(url: string): { source: EventSource; ids: string[]; data: string[]; gaps: string[] } {
    const source = new EventSource(url);
    defer(() => source.close());
    const seen = { source, ids: [] as string[], data: [] as string[], gaps: [] as string[] };
    source.onmessage = (event) => {
      seen.ids.push(event.lastEventId);
      seen.data.push((JSON.parse(event.data) as { data: string }).data);
    };
    source.addEventListener('gap', (event) => seen.gaps.push(event.data));
    return seen;
  }

  it('receives every message, and after a cut connection resumes with Last-Event-ID, losing and repeating nothing', async () => {
    const server = await startServer({ reconnectDelayMs: 50 });
    const proxy = await TcpProxy.start(server.port);
    const seen = listen(`${proxy.url}/sse`);
    await publishRange(server.url, 1, 3);
    await waitFor(() => seen.data.length === 3, 'three messages');

    proxy.dropAll();
    await publishRange(server.url, 4, 6);
    await waitFor(() => seen.data.length >= 6, 'the messages published while disconnected');
    expect(seen.data).toEqual(['m1', 'm2', 'm3', 'm4', 'm5', 'm6']);
    expect(seen.ids).toEqual(['1', '2', '3', '4', '5', '6']);
    expect(proxy.sentText().toLowerCase()).toContain('last-event-id: 3\r\n');
  });

  it('delivers the gap event to an addEventListener("gap") listener', async () => {
    const server = await startServer({ ringSize: 2 });
    await publishRange(server.url, 1, 4);
    const seen = listen(`${server.url}/sse?since=0`);
    await waitFor(() => seen.data.length === 2, 'the kept messages');
    expect(seen.gaps).toEqual(['{"from":1,"to":2}']);
    expect(seen.data).toEqual(['m3', 'm4']);
  });
});

/** A chunked body, decoded strictly: every chunk's size line, data and CRLF; undefined while incomplete or malformed. */
function dechunk(body: Buffer): string | undefined {
  let text = '';
  for (let at = 0; at < body.length; ) {
    const lineEnd = body.indexOf('\r\n', at);
    if (lineEnd === -1) return undefined;
    const sizeLine = body.toString('latin1', at, lineEnd);
    if (!/^[0-9a-f]+$/.test(sizeLine)) return undefined;
    const size = Number.parseInt(sizeLine, 16);
    const end = lineEnd + 2 + size;
    if (body.length < end + 2 || body.toString('latin1', end, end + 2) !== '\r\n') return undefined;
    text += body.toString('utf8', lineEnd + 2, end);
    at = end + 2;
  }
  return text;
}

describe('SSE on the wire', () => {
  const bodyAfterHead = (bytes: Buffer, heads = 1): Buffer => {
    let at = 0;
    for (let i = 0; i < heads; i++) at = bytes.indexOf('\r\n\r\n', at) + 4;
    return bytes.subarray(at);
  };

  it('sends every event as whole HTTP/1.1 chunks, heartbeats included', async () => {
    const server = await startServer({ heartbeatMs: 50 });
    await publishRange(server.url, 1, 2);
    const connection = await RawConnection.open(server.port);
    connection.write('GET /sse HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n');
    await publishRange(server.url, 3, 4);
    await waitFor(
      () => dechunk(bodyAfterHead(connection.received()))?.includes(': heartbeat\n\n') === true,
      'four events and a heartbeat, chunked',
    );
    const head = connection.received().toString('latin1');
    expect(head).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
    expect(head.toLowerCase()).toContain('transfer-encoding: chunked\r\n');
    const events = dechunk(bodyAfterHead(connection.received()))!.split('\n\n');
    expect(events.slice(0, 5).map((event) => event.split('\n')[0])).toEqual([
      'retry: 50',
      'id: 1',
      'id: 2',
      'id: 3',
      'id: 4',
    ]);
  });

  it('streams to an HTTP/1.0 client without chunks, until the connection closes', async () => {
    const server = await startServer();
    await publishRange(server.url, 1, 1);
    const connection = await RawConnection.open(server.port);
    connection.write('GET /sse HTTP/1.0\r\nAccept: text/event-stream\r\n\r\n');
    await publishRange(server.url, 2, 2);
    await waitFor(() => connection.received().includes('id: 2\n'), 'the second event');
    expect(connection.received().toString('latin1').toLowerCase()).not.toContain('transfer-encoding');
    const events = bodyAfterHead(connection.received()).toString().split('\n\n');
    expect(events.slice(0, 3).map((event) => event.split('\n')[0])).toEqual(['retry: 50', 'id: 1', 'id: 2']);
  });

  it('serves a stream asked for behind another request on the same connection', async () => {
    const server = await startServer();
    await publishRange(server.url, 1, 1);
    const connection = await RawConnection.open(server.port);
    connection.write('GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\nGET /sse HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n');
    await publishRange(server.url, 2, 2);
    await waitFor(
      () => dechunk(bodyAfterHead(connection.received(), 2))?.includes('id: 2\n') === true,
      'the stream behind /health',
    );
    expect(connection.received().toString('latin1')).toMatch(
      /^HTTP\/1\.1 200 OK\r\n[\s\S]*\{"status":"ok"\}HTTP\/1\.1 200 OK\r\n/,
    );
    const events = dechunk(bodyAfterHead(connection.received(), 2))!.split('\n\n');
    expect(events.slice(0, 3).map((event) => event.split('\n')[0])).toEqual(['retry: 50', 'id: 1', 'id: 2']);
  });
});
