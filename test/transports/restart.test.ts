import { once } from 'node:events';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Journal } from '../../src/broker/journal.js';
import { ReferenceServer } from '../../src/server/reference-server.js';
import { TRANSPORTS } from '../../src/transports/registry.js';
import { defer } from '../helpers/cleanup.js';
import { spawnServe } from '../helpers/cli.js';
import { openClient } from '../helpers/clients.js';
import { publishRange } from '../helpers/server.js';
import { sleep } from '../helpers/wait.js';

function journalPath(): string {
  const folder = mkdtempSync(join(tmpdir(), 'im-bench-test-journal-'));
  defer(() => rmSync(folder, { recursive: true, force: true }));
  return join(folder, 'log.jsonl');
}

async function startAt(port: number, journal?: string): Promise<ReferenceServer> {
  const server = await ReferenceServer.start({
    port,
    reconnectDelayMs: 50,
    ...(journal === undefined ? {} : { journalPath: journal }),
  });
  defer(() => server.close());
  return server;
}

describe.each(TRANSPORTS.map((transport) => [transport.name, transport] as const))(
  'restart: %s',
  (_name, transport) => {
    it('resumes across a restart with the journal: same epoch, nothing lost, nothing repeated', async () => {
      const journal = journalPath();
      const first = await startAt(0, journal);
      const { collector } = await openClient(transport, first.url);
      await publishRange(first.url, 1, 3);
      await collector.waitForCount(3);
      await first.close();

      const second = await startAt(first.port, journal);
      expect(second.broker.epoch).toBe(first.broker.epoch);
      await publishRange(second.url, 4, 6);
      await collector.waitForCount(6, 10_000);
      await sleep(200);
      expect(collector.seqs()).toEqual([1, 2, 3, 4, 5, 6]);
      expect(collector.epochs).toEqual([first.broker.epoch]);
    });

    it('is told to start over when the server restarted without its journal, and reads the new log from its start', async () => {
      const first = await startAt(0);
      const { collector } = await openClient(transport, first.url);
      await publishRange(first.url, 1, 3);
      await collector.waitForCount(3);
      await first.close();

      const second = await startAt(first.port);
      expect(second.broker.epoch).not.toBe(first.broker.epoch);
      await publishRange(second.url, 1, 5);
      await collector.waitForCount(8, 10_000);
      await sleep(200);
      expect(collector.epochs).toEqual([first.broker.epoch, second.broker.epoch]);
      expect(collector.seqs()).toEqual([1, 2, 3, 1, 2, 3, 4, 5]);
      expect(collector.envelopeEpochs).toEqual([
        ...Array(3).fill(first.broker.epoch),
        ...Array(5).fill(second.broker.epoch),
      ]);
    });
  },
);

describe('journal', () => {
  it('restores the rings and the epoch, drops a line torn by a kill, and appends cleanly after it', async () => {
    const path = journalPath();
    const first = await Journal.open(path, 100, Number.POSITIVE_INFINITY);
    for (let i = 1; i <= 3; i++) first.broker.publish({ ch: 'a', from: null, data: `m${i}`, t: '1' });
    first.broker.publish({ ch: 'b', from: null, data: 'b1', t: '1' });
    first.journal.close();
    writeFileSync(path, `${readFileSync(path, 'utf8')}{"seq":4,"t":"1","ch":"a","fr`);

    const second = await Journal.open(path, 100, Number.POSITIVE_INFINITY);
    expect(second.restored).toBe(4);
    expect(second.broker.epoch).toBe(first.broker.epoch);
    expect(second.broker.channelStates()).toEqual({ a: { lastSeq: 3, firstKept: 1 }, b: { lastSeq: 1, firstKept: 1 } });
    expect(second.broker.publish({ ch: 'a', from: null, data: 'm4', t: '1' }).seq).toBe(4);
    second.journal.close();

    const third = await Journal.open(path, 100, Number.POSITIVE_INFINITY);
    defer(() => third.journal.close());
    expect(third.broker.channelStates()).toEqual({ a: { lastSeq: 4, firstKept: 1 }, b: { lastSeq: 1, firstKept: 1 } });
  });

  it('keeps only what the rings hold, and the sequence numbers go on from there', async () => {
    const path = journalPath();
    const first = await Journal.open(path, 3, Number.POSITIVE_INFINITY);
    for (let i = 1; i <= 10; i++) first.broker.publish({ ch: 'a', from: null, data: `m${i}`, t: '1' });
    first.journal.close();
    const second = await Journal.open(path, 3, Number.POSITIVE_INFINITY);
    defer(() => second.journal.close());
    expect(readFileSync(path, 'utf8').trimEnd().split('\n')).toHaveLength(1 + 3);
    expect(second.broker.channelStates()).toEqual({ a: { lastSeq: 10, firstKept: 8 } });
    expect(second.broker.readAfter('a', 0).gap).toEqual({ from: 1, to: 7 });
    expect(second.broker.publish({ ch: 'a', from: null, data: 'm11', t: '1' }).seq).toBe(11);
  });

  it('writes ahead: an entry the journal could not take is neither stored nor sent, and no seq is skipped', async () => {
    const path = journalPath();
    const opened = await Journal.open(path, 100, Number.POSITIVE_INFINITY);
    defer(() => opened.journal.close());
    const heard: number[] = [];
    opened.broker.subscribe((entry) => heard.push(entry.seq));
    opened.broker.publish({ ch: 'a', from: null, data: 'm1', t: '1' });
    opened.broker.persistWith(() => {
      throw new Error('disk full');
    });
    expect(() => opened.broker.publish({ ch: 'a', from: null, data: 'lost', t: '1' })).toThrow('disk full');
    opened.broker.persistWith((entry) => opened.journal.append(entry));
    expect(opened.broker.publish({ ch: 'a', from: null, data: 'm2', t: '1' }).seq).toBe(2);
    expect(heard).toEqual([1, 2]);
    expect(opened.broker.readAfter('a', 0).entries.map((entry) => entry.seq)).toEqual([1, 2]);
  });

  it('refuses a damaged journal, naming the line, and leaves no lock behind', async () => {
    const path = journalPath();
    writeFileSync(path, '{"epoch":"e1"}\nnot json\n{"seq":1,"ch":"a"}\n');
    await expect(Journal.open(path, 10, Number.POSITIVE_INFINITY)).rejects.toThrow(/line 2 is not JSON/);
    expect(existsSync(`${path}.lock`)).toBe(false);
  });

  it('refuses a journal another running server holds, and takes over the lock of a killed one', async () => {
    const path = journalPath();
    const holder = await spawnServe(['--journal', path]);
    await expect(Journal.open(path, 10, Number.POSITIVE_INFINITY)).rejects.toThrow(
      new RegExp(`in use by process ${holder.child.pid}`),
    );
    holder.child.kill('SIGKILL');
    await once(holder.child, 'exit');
    const taken = await Journal.open(path, 10, Number.POSITIVE_INFINITY);
    taken.journal.close();
  });
});
