import { describe, expect, it } from 'vitest';
import { DialectCursor } from '../../src/transports/shared/dialect-cursor.js';
import type { CursorStrategy, SubscribeDialect } from '../../src/transports/dialect.js';
import { getTransport } from '../../src/transports/registry.js';
import { openClient } from '../helpers/clients.js';
import { publishRange, startServer } from '../helpers/server.js';
import { sleep } from '../helpers/wait.js';

function dialect(cursor: CursorStrategy, overrides: Partial<SubscribeDialect> = {}): SubscribeDialect {
  return {
    protocol: 'plain',
    path: '/sub/{ch}',
    headers: { 'x-app': '1' },
    subprotocol: undefined,
    frameMeta: 'none',
    cursor,
    cursorParam: cursor === 'query' ? 'last_event_id' : undefined,
    decode: cursor === 'since' ? 'envelope-array' : 'envelope',
    nothingNew: [204],
    askAgain: 'never',
    epochs: false,
    ...overrides,
  };
}

describe("a profile dialect's cursor", () => {
  it('since: hands back the highest seq taken, as ?since=N, from the first request on', () => {
    let highest = 0;
    const cursor = new DialectCursor(dialect('since'), 'a b', () => highest);
    expect(cursor.path()).toBe('/sub/a%20b?since=0');
    highest = 41;
    expect(cursor.path()).toBe('/sub/a%20b?since=41');
    const withQuery = new DialectCursor(dialect('since', { path: '/poll?ch={ch}' }), 'c', () => 7);
    expect(withQuery.path()).toBe('/poll?ch=c&since=7');
    expect(cursor.headers()).toEqual({ 'x-app': '1' });
  });

  it('query: the last id as the named parameter, once there is one', () => {
    const cursor = new DialectCursor(dialect('query'), 'c', () => 9);
    expect(cursor.path()).toBe('/sub/c');
    cursor.lastId = '1700000000:3';
    expect(cursor.path()).toBe('/sub/c?last_event_id=1700000000%3A3');
  });

  it('last-event-id: the last id as the Last-Event-ID header, once there is one', () => {
    const cursor = new DialectCursor(dialect('last-event-id'), 'c', () => 9);
    expect(cursor.headers()).toEqual({ 'x-app': '1' });
    cursor.lastId = '12';
    expect(cursor.headers()).toEqual({ 'x-app': '1', 'last-event-id': '12' });
    expect(cursor.path()).toBe('/sub/c');
  });

  it('validators: If-None-Match and If-Modified-Since, only once an answer carried an Etag', () => {
    const cursor = new DialectCursor(dialect('validators'), 'c', () => 9);
    cursor.noteValidators('Thu, 01 Jan 2026 00:00:00 GMT', undefined);
    expect(cursor.headerLines()).toBe('x-app: 1\r\n');
    cursor.noteValidators('Thu, 01 Jan 2026 00:00:00 GMT', '0');
    expect(cursor.headerLines()).toBe(
      'x-app: 1\r\nif-modified-since: Thu, 01 Jan 2026 00:00:00 GMT\r\nif-none-match: 0\r\n',
    );
  });

  it('none: the same request every time, whatever was taken', () => {
    const cursor = new DialectCursor(dialect('none'), 'c', () => 9);
    cursor.lastId = '5';
    expect([cursor.path(), cursor.headers()]).toEqual(['/sub/c', { 'x-app': '1' }]);
  });

  it('since, against a server that speaks it: each poll resumes after what it took, so nothing comes twice', async () => {
    const server = await startServer();
    const transport = getTransport('short-polling');
    const { collector } = await openClient(transport, server.url, {
      pollIntervalMs: 30,
      dialect: dialect('since', { path: `${transport.path}?ch={ch}`, askAgain: 'more-header' }),
    });
    await publishRange(server.url, 1, 3);
    await collector.waitForCount(3);
    await publishRange(server.url, 4, 6);
    await collector.waitForCount(6);
    // Polls without the cursor would take 1…3 again at every turn.
    await sleep(150);
    expect(collector.seqs()).toEqual([1, 2, 3, 4, 5, 6]);
    expect(collector.errors).toEqual([]);
  });
});
