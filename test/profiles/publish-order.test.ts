import { once } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { describe, expect, it } from 'vitest';
import { PublishClient, publishRouteOf } from '../../src/harness/publish/publish-client.js';
import type { PublishDialect } from '../../src/profiles/profile.js';
import { defer } from '../helpers/cleanup.js';

const dialect = (numbering: PublishDialect['numbering']): PublishDialect => ({
  method: 'PUT',
  path: '/pub/{ch}',
  contentType: 'text/plain',
  headers: { 'x-token': 'secret' },
  numbering,
});

/**
 * A server that takes publishes concurrently, as a multi-threaded one does: each is appended
 * (recorded) and answered after a random delay of 0-20 ms, so two publishes out at once on two
 * connections may be appended in either order.
 */
async function slowServer(): Promise<{ url: string; arrived: Array<{ channel: string; seq: number; head: string }> }> {
  const arrived: Array<{ channel: string; seq: number; head: string }> = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      const head = `${req.method} ${req.headers['content-type']} ${req.headers['x-token']}`;
      setTimeout(() => {
        arrived.push({ channel: req.url!.slice('/pub/'.length), seq: (JSON.parse(body) as { seq: number }).seq, head });
        res.writeHead(201).end();
      }, Math.random() * 20);
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  server.on('connection', (socket) => defer(() => socket.destroy()));
  defer(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return { url: `http://127.0.0.1:${(server.address() as { port: number }).port}`, arrived };
}

describe("publishing to a profile's server", () => {
  it('keeps each channel in the order the publisher numbered it, and acknowledges the seq it wrote on any 2xx', async () => {
    const server = await slowServer();
    const errors: Error[] = [];
    const client = new PublishClient(server.url, (error) => errors.push(error), publishRouteOf(dialect('publisher')));
    defer(() => client.close());
    for (let i = 1; i <= 60; i++)
      for (const channel of ['a', 'b', 'c']) client.publish({ ch: channel, data: 'x' }, channel);
    await client.settled(10_000);
    expect(errors).toEqual([]);
    expect(client.accepted).toBe(180);
    for (const channel of ['a', 'b', 'c'])
      expect(server.arrived.filter((each) => each.channel === channel).map((each) => each.seq)).toEqual(
        Array.from({ length: 60 }, (_, i) => i + 1),
      );
    expect(new Set(server.arrived.map((each) => each.head))).toEqual(new Set(['PUT text/plain secret']));
    expect(client.acknowledged.get('profile')).toEqual(
      new Map([
        ['a', 60],
        ['b', 60],
        ['c', 60],
      ]),
    );
  });

  it("sends over many connections at once when the server numbers (order is then the server's own)", async () => {
    const server = await slowServer();
    const client = new PublishClient(server.url, () => {}, publishRouteOf(dialect('server')));
    defer(() => client.close());
    for (let seq = 1; seq <= 60; seq++) client.publish(JSON.stringify({ seq }), 'a');
    await client.settled(10_000);
    expect(client.accepted).toBe(60);
    // Appended concurrently from many connections: not in the order sent (with the publisher's
    // numbering, this is what the clients would have counted as out of order).
    expect(server.arrived.map((each) => each.seq)).not.toEqual(Array.from({ length: 60 }, (_, i) => i + 1));
  });
});

describe("numbering what a profile's server takes", () => {
  /**
   * A publisher-numbering client against a server that answers the n-th publish as `answer`
   * says (`taken`: recorded and 204); the seqs it took, in order.
   */
  async function numberedAgainst(
    publishes: number,
    answer: (n: number, req: IncomingMessage, res: ServerResponse) => 'taken' | undefined,
  ): Promise<{ client: PublishClient; taken: number[] }> {
    const taken: number[] = [];
    let requests = 0;
    const server = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        if (answer(++requests, req, res) !== 'taken') return;
        taken.push((JSON.parse(body) as { seq: number }).seq);
        res.writeHead(204).end();
      });
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    server.on('connection', (socket) => defer(() => socket.destroy()));
    defer(() => new Promise<void>((resolve) => server.close(() => resolve())));
    const url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
    const client = new PublishClient(url, () => {}, publishRouteOf(dialect('publisher')));
    defer(() => client.close());
    for (let i = 0; i < publishes; i++) client.publish({ ch: 'a', data: 'x' }, 'a');
    await client.settled(10_000);
    return { client, taken };
  }

  it('gives a seq the server refused to the next message, so the clients never wait for one that never was', async () => {
    // Every third publish is refused, as an overloaded or restarting server would.
    const { client, taken } = await numberedAgainst(30, (n, _req, res) => {
      if (n % 3 !== 0) return 'taken';
      res.writeHead(503).end();
    });
    expect([client.accepted, client.failed]).toEqual([20, 10]);
    expect(taken).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    expect(client.acknowledged.get('profile')?.get('a')).toBe(20);
  });

  it('spends the seq of a publish cut off once sent, or answered by a gateway, since the server may have taken it', async () => {
    const { client, taken } = await numberedAgainst(6, (n, req, res) => {
      if (n === 2) req.socket.destroy();
      else if (n === 4) res.writeHead(502).end();
      else return 'taken';
    });
    expect([client.accepted, client.failed]).toEqual([4, 2]);
    expect(taken).toEqual([1, 3, 5, 6]);
  });
});
