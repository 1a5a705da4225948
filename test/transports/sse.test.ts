import { EventSource } from 'eventsource';
import { describe, expect, it } from 'vitest';
import { defer } from '../helpers/cleanup.js';
import { httpRequest, openStream } from '../helpers/http.js';
import { publishRange, startServer } from '../helpers/server.js';
import { TcpProxy } from '../helpers/tcp-proxy.js';
import { waitFor } from '../helpers/wait.js';

describe('SSE wire format', () => {
  it('streams retry: once, then id: <seq> and data: <envelope> per message', async () => {
    const server = await startServer({ sseRetryMs: 1234 });
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
    const server = await startServer({ sseRetryMs: 50 });
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
