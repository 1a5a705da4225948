import { describe, expect, it } from 'vitest';
import { EPOCH_HEADER } from '../../src/core/wire.js';
import { getTransport } from '../../src/transports/registry.js';
import { MAX_LINE_CHARS, NdjsonLines } from '../../src/transports/http-streaming/ndjson-lines.js';
import { openClient } from '../helpers/clients.js';
import { httpRequest, openStream } from '../helpers/http.js';
import { publishRange, startServer } from '../helpers/server.js';
import { TcpProxy } from '../helpers/tcp-proxy.js';
import { waitFor } from '../helpers/wait.js';

const streaming = getTransport('http-streaming');

/** An NdjsonLines with what it handed over recorded. */
function splitter(): { lines: string[]; overflows: () => number; splitter: NdjsonLines } {
  const lines: string[] = [];
  let overflows = 0;
  const splitter = new NdjsonLines(
    (line) => lines.push(line),
    () => overflows++,
  );
  return { lines, overflows: () => overflows, splitter };
}

const feed = (splitter: NdjsonLines, ...chunks: string[] | Buffer[]): void => {
  for (const chunk of chunks) splitter.feed(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
};

describe('HTTP streaming: lines from raw bytes', () => {
  it('hands over each line once it ends, wherever the chunks were cut', () => {
    const s = splitter();
    feed(s.splitter, '{"seq":1}\n{"se', 'q":2}');
    expect(s.lines).toEqual(['{"seq":1}']);
    feed(s.splitter, '\n\n{"seq":3}\r\n');
    expect(s.lines).toEqual(['{"seq":1}', '{"seq":2}', '{"seq":3}\r']);
  });

  it('keeps a UTF-8 character split across two chunks whole', () => {
    const s = splitter();
    const bytes = Buffer.from('{"data":"é€"}\n');
    feed(s.splitter, bytes.subarray(0, 11), bytes.subarray(11));
    expect(s.lines).toEqual(['{"data":"é€"}']);
  });

  it('skips the empty lines a heartbeat sends', () => {
    const s = splitter();
    feed(s.splitter, '\n\n  \n{"seq":1}\n\n');
    expect(s.lines).toEqual(['{"seq":1}']);
  });

  it('drops a line over the limit once, then reads on from the next one', () => {
    const s = splitter();
    feed(s.splitter, 'x'.repeat(MAX_LINE_CHARS), 'yy', 'zz\n{"seq":9}\n');
    expect(s.overflows()).toBe(1);
    expect(s.lines).toEqual(['{"seq":9}']);
  });

  it('forgets a cut line when a new stream starts', () => {
    const s = splitter();
    feed(s.splitter, '{"seq":1');
    s.splitter.reset();
    feed(s.splitter, '{"seq":2}\n');
    expect(s.lines).toEqual(['{"seq":2}']);
  });
});

describe('HTTP streaming wire format', () => {
  it('answers one chunked application/x-ndjson response naming its log, an envelope per line', async () => {
    const server = await startServer();
    await publishRange(server.url, 1, 1);
    const stream = await openStream(`${server.url}/stream`);
    expect(stream.status).toBe(200);
    expect(stream.headers['content-type']).toBe('application/x-ndjson; charset=utf-8');
    expect(stream.headers['transfer-encoding']).toBe('chunked');
    expect(stream.headers[EPOCH_HEADER]).toBe(server.broker.epoch);
    await publishRange(server.url, 2, 2);
    await waitFor(() => stream.text().split('\n').length === 3, 'two lines');
    const [first, second, rest] = stream.text().split('\n');
    expect(JSON.parse(first!)).toMatchObject({ seq: 1, ch: 'default', from: null, data: 'm1' });
    expect(JSON.parse(second!)).toMatchObject({ seq: 2, data: 'm2' });
    expect(rest).toBe('');
  });

  it('sends its headers before any message, so a client knows it is subscribed', async () => {
    const server = await startServer();
    const stream = await openStream(`${server.url}/stream`);
    expect(stream.status).toBe(200);
    expect(stream.text()).toBe('');
  });

  it('resumes after since, and says with a gap line what the ring no longer holds', async () => {
    const server = await startServer({ ringSize: 3 });
    await publishRange(server.url, 1, 5);
    const resumed = await openStream(`${server.url}/stream?since=3`);
    await waitFor(() => resumed.text().includes('"seq":5'), 'the messages after 3');
    expect(
      resumed
        .text()
        .trim()
        .split('\n')
        .map((line) => (JSON.parse(line) as { seq: number }).seq),
    ).toEqual([4, 5]);
    const behind = await openStream(`${server.url}/stream?since=0`);
    await waitFor(() => behind.text().includes('"seq":5'), 'the kept messages');
    expect(behind.text().split('\n')[0]).toBe('{"gap":{"from":1,"to":2}}');
  });

  it('tells a cursor from another log to start over, with a reset line first', async () => {
    const server = await startServer();
    await publishRange(server.url, 1, 2);
    const stream = await openStream(`${server.url}/stream?since=7&epoch=another-log`);
    await waitFor(() => stream.text().includes('"seq":2'), 'the new log from its start');
    const lines = stream.text().trim().split('\n');
    expect(lines[0]).toBe(`{"reset":{"epoch":"${server.broker.epoch}"}}`);
    expect(lines.slice(1).map((line) => (JSON.parse(line) as { seq: number }).seq)).toEqual([1, 2]);
  });

  it('writes an empty line every heartbeat interval', async () => {
    const server = await startServer({ heartbeatMs: 50 });
    const stream = await openStream(`${server.url}/stream`);
    await waitFor(() => stream.text().length >= 3, 'three heartbeats', 2_000);
    expect(stream.text()).toMatch(/^\n+$/);
  });

  it('refuses a bad cursor with 400', async () => {
    const server = await startServer();
    const answer = await httpRequest(`${server.url}/stream?since=-1`);
    expect(answer.status).toBe(400);
    expect(JSON.parse(answer.text)).toMatchObject({ error: { code: 'bad_since' } });
  });
});

describe('HTTP streaming client', () => {
  it('after a cut connection asks again from its cursor, losing and repeating nothing', async () => {
    const server = await startServer();
    const proxy = await TcpProxy.start(server.port);
    const { client, collector } = await openClient(streaming, proxy.url);
    await publishRange(server.url, 1, 3);
    await waitFor(() => collector.envelopes.length === 3, 'three messages');
    proxy.dropAll();
    await publishRange(server.url, 4, 6);
    await waitFor(() => collector.envelopes.length === 6, 'the messages published while it was cut off');
    expect(collector.seqs()).toEqual([1, 2, 3, 4, 5, 6]);
    expect(client.meter.reconnects).toBe(1);
    expect(client.meter.requests).toBe(2);
  });

  it('stops for good on a permanent refusal', async () => {
    const server = await startServer({ transports: ['sse'] });
    await expect(openClient(streaming, server.url)).rejects.toThrow(/GET \/stream\?ch=default&since=0 answered 404/);
  });
});
