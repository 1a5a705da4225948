import { execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { existsSync, linkSync, lstatSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect } from 'vitest';
import { Journal } from '../../src/broker/journal.js';
import { startTimeOf } from '../../src/broker/lock-holder.js';
import { ImBenchError } from '../../src/core/errors.js';
import { defer } from '../helpers/cleanup.js';
import { runCli } from '../helpers/cli.js';
import { sleep } from '../helpers/wait.js';
import { kill9, publishTo, readBack, serveJournal, serveRefused, stop, tempFolder } from './journal-fixtures.js';
import { hostileCase, Tally } from './tally.js';

const tally = new Tally('journal', 'locks');
const JOURNAL_MODULE = fileURLToPath(new URL('../../dist/broker/journal.js', import.meta.url));

/** A `sleep` that lives through the case: a live process that is not an im-bench server. */
async function sleeper(): Promise<number> {
  const child = spawn('sleep', ['30'], { stdio: 'ignore' });
  defer(() => child.kill('SIGKILL'));
  await once(child, 'spawn');
  return child.pid!;
}

/** A stale lock, as `plant` leaves it, is taken over: the server starts, writes its own lock, and removes it on exit. */
function takeOverCase(name: string, plant: (lock: string) => void | Promise<void>): void {
  hostileCase(tally, `${name}: taken over`, async () => {
    const journal = join(tempFolder(), 'j.jsonl');
    await plant(`${journal}.lock`);
    const server = await serveJournal(journal);
    const { pid } = JSON.parse(server.readyLine) as { pid: number };
    expect(lstatSync(`${journal}.lock`).isFile()).toBe(true);
    expect(readFileSync(`${journal}.lock`, 'utf8')).toBe(`${pid} ${startTimeOf(pid)}\n`);
    expect((await publishTo(server.url, 'c', 'm1')).status).toBe(202);
    expect(await stop(server)).toBe(0);
    expect(existsSync(`${journal}.lock`), 'the lock is removed on exit').toBe(false);
  });
}

/** After `exit` ends a server holding `journal`, no lock is left. */
function expectNoLock(journal: string): void {
  expect(existsSync(`${journal}.lock`), `${journal}.lock left behind`).toBe(false);
}

describe('journal: stale locks', () => {
  takeOverCase('an empty lock', (lock) => writeFileSync(lock, ''));
  takeOverCase('a lock holding 0', (lock) => writeFileSync(lock, '0'));
  takeOverCase('a lock of 4 KiB of random bytes', (lock) => writeFileSync(lock, randomBytes(4_096)));
  takeOverCase('a lock of 1 MiB of digits', (lock) => writeFileSync(lock, '7'.repeat(1024 * 1024)));
  takeOverCase('a lock naming a dead pid', async (lock) => {
    const dead = spawn('true');
    await once(dead, 'exit');
    writeFileSync(lock, `${dead.pid} ${startTimeOf(process.pid)}\n`);
  });
  takeOverCase('a lock naming a live sleep (just its pid)', async (lock) => {
    writeFileSync(lock, `${await sleeper()}`);
  });
  takeOverCase('a lock naming a live sleep with its true start time, which does not hold the lock', async (lock) => {
    const pid = await sleeper();
    writeFileSync(lock, `${pid} ${startTimeOf(pid)}\n`);
  });
  takeOverCase('a lock naming a live pid with another start time (a recycled pid)', async (lock) => {
    const pid = await sleeper();
    writeFileSync(lock, `${pid} ${Number(startTimeOf(pid)) + 1}\n`);
  });
  takeOverCase('a lock that is a fifo', (lock) => {
    execFileSync('mkfifo', [lock]);
  });

  hostileCase(
    tally,
    'a lock that is a symbolic link to another file: taken over, and that file is untouched',
    async () => {
      const folder = tempFolder();
      const victim = join(folder, 'victim');
      writeFileSync(victim, 'precious\n');
      const journal = join(folder, 'j.jsonl');
      symlinkSync(victim, `${journal}.lock`);
      const server = await serveJournal(journal);
      expect(lstatSync(`${journal}.lock`).isSymbolicLink()).toBe(false);
      expect(readFileSync(victim, 'utf8')).toBe('precious\n');
      expect(await stop(server)).toBe(0);
      expect(readFileSync(victim, 'utf8')).toBe('precious\n');
    },
  );

  for (const kind of ['hard', 'symbolic'] as const) {
    hostileCase(
      tally,
      `a lock that is a ${kind} link to the journal itself: replaced, the journal intact`,
      async () => {
        const journal = join(tempFolder(), 'j.jsonl');
        const first = await serveJournal(journal);
        expect((await publishTo(first.url, 'c', 'm1')).seq).toBe(1);
        expect(await stop(first)).toBe(0);
        (kind === 'hard' ? linkSync : symlinkSync)(journal, `${journal}.lock`);
        const second = await serveJournal(journal);
        expect((await readBack(second.url, 'c')).map((envelope) => envelope.data)).toEqual(['m1']);
        expect(await stop(second)).toBe(0);
        expect(readFileSync(journal, 'utf8')).toContain('"data":"m1"');
      },
    );
  }

  hostileCase(tally, 'a lock that is a folder → exit 2 naming --journal and the lock', async () => {
    const journal = join(tempFolder(), 'j.jsonl');
    mkdirSync(`${journal}.lock`);
    const result = await serveRefused(journal);
    expect(result.code, result.stderr).toBe(2);
    expect(result.stderr).toMatch(/--journal: expected a journal whose lock .*j\.jsonl\.lock .*it is a folder/);
  });
});

describe('journal: locks held', () => {
  hostileCase(
    tally,
    'a live im-bench server holding the journal: refused with exit 4, its lock and service untouched',
    async () => {
      const journal = join(tempFolder(), 'j.jsonl');
      const holder = await serveJournal(journal);
      const lock = readFileSync(`${journal}.lock`, 'utf8');
      const result = await serveRefused(journal);
      expect(result.code, result.stderr).toBe(4);
      expect(result.stderr).toContain(`is in use by process ${holder.child.pid}`);
      expect(readFileSync(`${journal}.lock`, 'utf8')).toBe(lock);
      expect((await publishTo(holder.url, 'c', 'still served')).status).toBe(202);
    },
  );

  hostileCase(tally, 'a second journal on the same file in the same process: refused', async () => {
    const journal = join(tempFolder(), 'j.jsonl');
    const first = await Journal.open(journal, 10, Number.POSITIVE_INFINITY);
    defer(() => first.journal.close());
    const second = Journal.open(journal, 10, Number.POSITIVE_INFINITY);
    await expect(second).rejects.toThrow(ImBenchError);
    await expect(second).rejects.toThrow(`in use by process ${process.pid}`);
    first.journal.close();
    expectNoLock(journal);
  });
});

describe('journal: servers racing for a stale lock', () => {
  hostileCase(
    tally,
    'four servers started at once on a journal whose lock a killed server left, three times: one takes it each time',
    async () => {
      const journal = join(tempFolder(), 'j.jsonl');
      writeFileSync(`${journal}.lock`, 'garbage');
      for (let round = 1; round <= 3; round++) {
        const starts = await Promise.allSettled(Array.from({ length: 4 }, () => serveJournal(journal)));
        const winners = starts.flatMap((start) => (start.status === 'fulfilled' ? [start.value] : []));
        expect(winners, `round ${round}`).toHaveLength(1);
        for (const start of starts) {
          if (start.status === 'rejected') expect(String(start.reason)).toMatch(/exited with 4 .*is in use by/s);
        }
        expect((await publishTo(winners[0]!.url, 'c', `round ${round}`)).seq).toBe(round);
        await kill9(winners[0]!);
      }
    },
    { timeoutMs: 60_000 },
  );
});

describe('journal: no lock left on any exit the server controls', () => {
  hostileCase(tally, 'a start that fails (port taken, exit 4) leaves no lock', async () => {
    const journal = join(tempFolder(), 'j.jsonl');
    const taken = createServer().listen(0, '127.0.0.1');
    await once(taken, 'listening');
    defer(() => taken.close());
    const port = (taken.address() as { port: number }).port;
    const result = await runCli(['serve', '--journal', journal, '--port', String(port)]);
    expect(result.code, result.stderr).toBe(4);
    expect(result.stderr).toMatch(/already in use/);
    expectNoLock(journal);
  });

  hostileCase(tally, 'a journal refused as damaged (exit 4) leaves no lock', async () => {
    const journal = join(tempFolder(), 'j.jsonl');
    writeFileSync(journal, '{"epoch":"e1"}\nnot json\n');
    const result = await serveRefused(journal);
    expect(result.code, result.stderr).toBe(4);
    expect(result.stderr).toMatch(/line 2 is not JSON/);
    expectNoLock(journal);
  });

  hostileCase(tally, 'a second signal during a slow close (exit 3) leaves no lock', async () => {
    const journal = join(tempFolder(), 'j.jsonl');
    const server = await serveJournal(journal);
    // A publish whose body never finishes keeps the close waiting for its grace period.
    const socket = createConnection(server.port, '127.0.0.1');
    defer(() => socket.destroy());
    socket.on('error', () => {});
    await once(socket, 'connect');
    socket.write('POST /publish HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 100\r\n\r\n{');
    const exited = once(server.child, 'exit') as Promise<[number | null]>;
    server.child.kill('SIGTERM');
    await sleep(200);
    server.child.kill('SIGTERM');
    expect((await exited)[0]).toBe(3);
    expectNoLock(journal);
  });

  hostileCase(
    tally,
    'a fatal error (an uncaught exception) in the process holding the journal leaves no lock',
    async () => {
      const journal = join(tempFolder(), 'j.jsonl');
      const script = `const { Journal } = await import(${JSON.stringify(JOURNAL_MODULE)});
      await Journal.open(${JSON.stringify(journal)}, 10, Infinity);
      setTimeout(() => { throw new Error('fatal on purpose'); }, 10);`;
      const child = spawn(process.execPath, ['--input-type=module', '-e', script], {
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      defer(() => child.kill('SIGKILL'));
      let stderr = '';
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      const [code] = (await once(child, 'exit')) as [number | null];
      expect(code, stderr).toBe(1);
      expect(stderr).toContain('fatal on purpose');
      expectNoLock(journal);
    },
  );
});
