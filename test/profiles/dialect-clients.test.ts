import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { request } from 'undici';
import { describe, expect, it } from 'vitest';
import { loadProfileFile } from '../../src/profiles/profile-file.js';
import { ProfileServer } from '../../src/profiles/profile-server.js';
import type { SubscribeDialect } from '../../src/transports/dialect.js';
import { TRANSPORTS } from '../../src/transports/registry.js';
import { defer } from '../helpers/cleanup.js';
import { openClient } from '../helpers/clients.js';

const RELAY = fileURLToPath(new URL('../fixtures/user-relay/relay.yaml', import.meta.url));
const transport = (name: string) => TRANSPORTS.find((each) => each.name === name)!;

/** An envelope as im-bench's publisher writes it into the body of a server that does not number. */
function envelope(seq: number, ch = 'room'): string {
  return JSON.stringify({ seq, t: String(process.hrtime.bigint()), ch, from: null, data: `m${seq}` });
}

async function startRelay(): Promise<{ server: ProfileServer; dialects: ReadonlyMap<string, SubscribeDialect> }> {
  const profile = await loadProfileFile(RELAY, 'relay.yaml', () => 'reference');
  const server = await ProfileServer.start(profile, { values: {}, prefix: [] });
  defer(() => server.stop());
  return { server, dialects: profile.techniques };
}

async function publish(url: string, body: string): Promise<void> {
  const response = await request(url, { method: 'POST', body, headers: { 'content-type': 'application/json' } });
  await response.body.dump();
  expect(response.statusCode).toBeLessThan(300);
}

describe("clients speaking a user's relay (no seq, no epoch, no /stats)", () => {
  it('SSE: in order, and after a cut connection resumes with Last-Event-ID, losing nothing', async () => {
    const { server, dialects } = await startRelay();
    const { client, collector } = await openClient(transport('sse'), server.url, {
      channel: 'room',
      dialect: dialects.get('sse')!,
    });
    for (const seq of [1, 2, 3]) await publish(`${server.url}/publish/room`, envelope(seq));
    await collector.waitForCount(3);
    client.meter.dropConnections();
    for (const seq of [4, 5]) await publish(`${server.url}/publish/room`, envelope(seq));
    await collector.waitForCount(5);
    expect(collector.seqs()).toEqual([1, 2, 3, 4, 5]);
    expect(collector.errors.filter((error) => !/socket|closed|terminated/i.test(error.message))).toEqual([]);
  });

  it('WebSocket: a frame per message, in order', async () => {
    const { server, dialects } = await startRelay();
    const { collector } = await openClient(transport('websocket'), server.url, {
      channel: 'room',
      dialect: dialects.get('websocket')!,
    });
    for (const seq of [1, 2, 3]) await publish(`${server.url}/publish/room`, envelope(seq));
    await collector.waitForCount(3);
    expect(collector.seqs()).toEqual([1, 2, 3]);
    expect(collector.errors).toEqual([]);
  });
});

/**
 * A poll server that behaves as nchan's interval-poll and multipart long-poll do: `304` when
 * there is nothing after the validators, one message per answer (or every one, as
 * multipart/mixed), each answer with `Last-Modified` and a tag-only `Etag`.
 */
async function nchanLikePollServer(multipart: boolean): Promise<{ url: string; messages: string[]; seen: string[] }> {
  const messages: string[] = [];
  const seen: string[] = [];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    seen.push(`${req.headers['if-modified-since'] ?? '-'} ${req.headers['if-none-match'] ?? '-'}`);
    const after = req.headers['if-none-match'] === undefined ? 0 : Number(req.headers['if-none-match']) + 1;
    const ready = messages.slice(after);
    const validators = (index: number) => ({ 'last-modified': 'Mon, 07 Dec 2026 05:00:00 GMT', etag: String(index) });
    if (ready.length === 0) {
      res.writeHead(304, after === 0 ? {} : validators(after - 1)).end();
    } else if (!multipart || ready.length === 1) {
      res.writeHead(200, { 'content-type': 'application/json', ...validators(after) }).end(ready[0]);
    } else {
      const boundary = 'b'.repeat(32);
      const body = `${ready.map((part) => `--${boundary}\r\n\r\n${part}\r\n`).join('')}--${boundary}--\r\n`;
      res
        .writeHead(200, { 'content-type': `multipart/mixed; boundary=${boundary}`, ...validators(messages.length - 1) })
        .end(body);
    }
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  defer(() => new Promise<void>((resolve) => server.close(() => resolve())));
  server.on('connection', (socket) => defer(() => socket.destroy()));
  return { url: `http://127.0.0.1:${(server.address() as { port: number }).port}`, messages, seen };
}

const pollDialect = (decode: SubscribeDialect['decode']): SubscribeDialect => ({
  protocol: 'plain',
  path: '/poll/{ch}',
  headers: {},
  subprotocol: undefined,
  frameMeta: 'none',
  cursor: 'validators',
  cursorParam: undefined,
  decode,
  nothingNew: [304],
  askAgain: 'after-message',
  epochs: false,
});

describe('polling with validators, one message per answer or multipart', () => {
  it.each([['envelope' as const], ['multipart' as const]])(
    'short polling (%s): every message once, in order, walking the Etags',
    async (decode) => {
      const poll = await nchanLikePollServer(decode === 'multipart');
      poll.messages.push(envelope(1), envelope(2), envelope(3));
      const { client, collector } = await openClient(transport('short-polling'), poll.url, {
        channel: 'room',
        dialect: pollDialect(decode),
      });
      await collector.waitForCount(3);
      poll.messages.push(envelope(4));
      await collector.waitForCount(4);
      expect(collector.seqs()).toEqual([1, 2, 3, 4]);
      expect(collector.errors).toEqual([]);
      // Both validators go back together, never If-Modified-Since alone (nchan answers that 400).
      expect(poll.seen.every((line) => line === '- -' || !line.includes(' -'))).toBe(true);
      expect(client.meter.emptyResponses).toBeGreaterThan(0);
    },
  );

  it('short polling: asking again after each message keeps to the schedule, not one interval later per message', async () => {
    const intervalMs = 400;
    const poll = await nchanLikePollServer(false);
    const { collector } = await openClient(transport('short-polling'), poll.url, {
      channel: 'room',
      dialect: pollDialect('envelope'),
      pollIntervalMs: intervalMs,
    });
    for (const burst of [0, 1, 2]) {
      poll.messages.push(
        envelope(burst * 4 + 1),
        envelope(burst * 4 + 2),
        envelope(burst * 4 + 3),
        envelope(burst * 4 + 4),
      );
      const published = performance.now();
      await collector.waitForCount(burst * 4 + 4, 3_000);
      // At the next poll of the schedule, and the follow-ups at once: well within two intervals.
      expect(performance.now() - published, `burst ${burst}`).toBeLessThan(intervalMs * 1.75);
    }
    expect(collector.seqs()).toEqual(Array.from({ length: 12 }, (_, i) => i + 1));
  });
});
