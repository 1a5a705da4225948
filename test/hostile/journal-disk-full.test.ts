import { appendFileSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect } from 'vitest';
import {
  caseNeeding,
  chattr,
  kill9,
  mountTmpfs,
  NO_CHATTR,
  NO_TMPFS,
  type PublishAnswer,
  publishOverWebSocket,
  publishTo,
  readBack,
  serveJournal,
  serveJournalWithFileLimit,
  tempFolder,
} from './journal-fixtures.js';
import { hostileCase, Tally } from './tally.js';

const tally = new Tally('journal', 'full disk');
const TIMEOUT_MS = 30_000;
const PAYLOAD = 'x'.repeat(1_000);

/** Every line whole: the file ends with a newline and each line is JSON. */
function expectWholeLines(journal: string): void {
  const text = readFileSync(journal, 'utf8');
  expect(text.endsWith('\n'), 'the journal ends with a whole line').toBe(true);
  for (const line of text.slice(0, -1).split('\n')) expect(() => JSON.parse(line), line.slice(0, 80)).not.toThrow();
}

/** Writes to `path` until the filesystem has no room left; returns how many bytes it took. */
function fillUp(path: string): number {
  let written = 0;
  try {
    for (;;) {
      appendFileSync(path, Buffer.alloc(4_096));
      written += 4_096;
    }
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') throw error;
  }
  return written;
}

function expectRefused(answer: PublishAnswer): void {
  expect(answer).toMatchObject({ status: 503, code: 'journal_unwritable', retryAfter: '1' });
}

/** Publishes 1 KB messages to channel `c` until `refusals` of them are refused; the acknowledged ones by seq. */
async function publishUntilRefused(
  url: string,
  refusals: number,
  acked: Map<number, string>,
): Promise<PublishAnswer[]> {
  const refused: PublishAnswer[] = [];
  for (let i = 1; refused.length < refusals; i++) {
    if (i > 500) throw new Error('the journal never filled the disk');
    const data = `m${i}-${PAYLOAD}`;
    const answer = await publishTo(url, 'c', data);
    if (answer.status === 202) acked.set(answer.seq!, data);
    else refused.push(answer);
  }
  return refused;
}

function expectContiguous(acked: Map<number, string>): void {
  expect([...acked.keys()]).toEqual(Array.from({ length: acked.size }, (_, index) => index + 1));
}

/**
 * The sequence: a tmpfs a filler file almost fills, publishes until they are refused,
 * the filler removed, more publishes, kill -9, a restart: every 202 must be read back.
 */
async function fillRefuseRecover(...flags: string[]): Promise<void> {
  const folder = mountTmpfs('64k');
  writeFileSync(join(folder, 'filler'), Buffer.alloc(44 * 1024));
  const journal = join(folder, 'j.jsonl');
  const first = await serveJournal(journal, ...flags);
  const acked = new Map<number, string>();
  const refused = await publishUntilRefused(first.url, 3, acked);
  expect(acked.size, 'publishes acknowledged before the disk was full').toBeGreaterThan(5);
  for (const answer of refused) expectRefused(answer);
  expect(refused[0]!.message).toMatch(/no space left on device, ENOSPC/);
  expectWholeLines(journal);

  rmSync(join(folder, 'filler'));
  for (let i = 1; i <= 3; i++) {
    const answer = await publishTo(first.url, 'c', `after-${i}`);
    expect(answer.status, 'a publish once there is room again').toBe(202);
    acked.set(answer.seq!, `after-${i}`);
  }
  expectContiguous(acked);
  expect(first.stderr()).toMatch(/cannot be written \(no space left on device, ENOSPC\)[^\n]*\n[^\n]*writable again/);
  await kill9(first);

  const second = await serveJournal(journal, ...flags);
  const back = await readBack(second.url, 'c');
  expect(back.map((envelope) => [envelope.seq, envelope.data])).toEqual([...acked]);
  expectWholeLines(journal);
}

describe('journal: a full disk, then room again', () => {
  caseNeeding(
    NO_TMPFS,
    tally,
    'ENOSPC on a 64 KiB tmpfs: refused with 503 journal_unwritable, 202 again once there is room, every 202 read back after kill -9',
    () => fillRefuseRecover(),
    { timeoutMs: TIMEOUT_MS },
  );

  caseNeeding(
    NO_TMPFS,
    tally,
    'ENOSPC with --journal-fsync: the same, every 202 read back after kill -9',
    () => fillRefuseRecover('--journal-fsync'),
    { timeoutMs: TIMEOUT_MS },
  );
});

describe('journal: a file that may not grow', () => {
  hostileCase(
    tally,
    'a file-size limit (ulimit -f 8, EFBIG): refused with 503 journal_unwritable, every 202 read back after kill -9',
    async () => {
      const journal = join(tempFolder(), 'j.jsonl');
      const limited = await serveJournalWithFileLimit(journal, 8);
      const acked = new Map<number, string>();
      const refused = await publishUntilRefused(limited.url, 2, acked);
      for (const answer of refused) expectRefused(answer);
      expect(refused[0]!.message).toMatch(/EFBIG/);
      expect(acked.size).toBeGreaterThan(3);
      expectContiguous(acked);
      expectWholeLines(journal);
      await kill9(limited);
      const unlimited = await serveJournal(journal);
      expect((await readBack(unlimited.url, 'c')).map((envelope) => [envelope.seq, envelope.data])).toEqual([...acked]);
    },
    { timeoutMs: TIMEOUT_MS },
  );
});

describe('journal: a full disk over WebSocket, and a torn line that stays', () => {
  caseNeeding(
    NO_TMPFS,
    tally,
    'ENOSPC: a WebSocket publish frame gets the error journal_unwritable (not internal), and takes no seq',
    async () => {
      const folder = mountTmpfs('64k');
      const server = await serveJournal(join(folder, 'j.jsonl'));
      expect((await publishTo(server.url, 'c', 'm1')).seq).toBe(1);
      fillUp(join(folder, 'filler'));
      // Larger than a page: it cannot fit in what is left of the journal's last page.
      const answer = await publishOverWebSocket(server.url, 'c', `refused-${PAYLOAD.repeat(6)}`);
      expect(answer).toMatchObject({ type: 'error', error: { code: 'journal_unwritable' } });
      rmSync(join(folder, 'filler'));
      expect(await publishOverWebSocket(server.url, 'c', 'm2'), 'no error frame once there is room').toBeUndefined();
      expect((await readBack(server.url, 'c')).map((envelope) => [envelope.seq, envelope.data])).toEqual([
        [1, 'm1'],
        [2, 'm2'],
      ]);
    },
    { timeoutMs: TIMEOUT_MS },
  );

  caseNeeding(
    NO_CHATTR,
    tally,
    'ENOSPC on an append-only journal (chattr +a: the torn line cannot be cut back): every publish refused until it is, nothing appended after it',
    async () => {
      const folder = mountTmpfs('64k');
      writeFileSync(join(folder, 'filler'), Buffer.alloc(44 * 1024));
      const journal = join(folder, 'j.jsonl');
      const first = await serveJournal(journal);
      chattr(journal, '+a');
      const acked = new Map<number, string>();
      const [refused] = await publishUntilRefused(first.url, 1, acked);
      expect(refused!.message).toMatch(/ENOSPC.*not cut back yet/);
      rmSync(join(folder, 'filler'));
      const stillTorn = await publishTo(first.url, 'c', 'refused while the torn line stays');
      expectRefused(stillTorn);
      expect(stillTorn.message).toMatch(/EPERM.*not cut back yet/);
      chattr(journal, '-a');
      const answer = await publishTo(first.url, 'c', 'after');
      expect(answer.status).toBe(202);
      acked.set(answer.seq!, 'after');
      expectContiguous(acked);
      expectWholeLines(journal);
      await kill9(first);
      const second = await serveJournal(journal);
      expect((await readBack(second.url, 'c')).map((envelope) => [envelope.seq, envelope.data])).toEqual([...acked]);
    },
    { timeoutMs: TIMEOUT_MS },
  );
});

describe('journal: restarts on a full disk', () => {
  caseNeeding(
    NO_TMPFS,
    tally,
    'a restart on a disk that is still full: every 202 read back, publishes still refused with 503',
    async () => {
      const folder = mountTmpfs('64k');
      const journal = join(folder, 'j.jsonl');
      const first = await serveJournal(journal);
      const acked = new Map<number, string>();
      await publishUntilRefused(first.url, 1, acked);
      fillUp(join(folder, 'filler'));
      await kill9(first);
      // The lock the killed server left behind is cleared first, which gives back the page the new lock needs.
      const second = await serveJournal(journal);
      expect((await readBack(second.url, 'c')).map((envelope) => [envelope.seq, envelope.data])).toEqual([...acked]);
      expectRefused(await publishTo(second.url, 'c', `refused-${PAYLOAD}`));
      rmSync(join(folder, 'filler'));
      expect((await publishTo(second.url, 'c', 'after')).seq).toBe(acked.size + 1);
    },
    { timeoutMs: TIMEOUT_MS },
  );

  caseNeeding(
    NO_TMPFS,
    tally,
    'a restart with a smaller --ring on a full disk: no room to rewrite, so the file is kept whole, and nothing is lost',
    async () => {
      const folder = mountTmpfs('64k');
      const journal = join(folder, 'j.jsonl');
      const first = await serveJournal(journal);
      for (let i = 1; i <= 6; i++) expect((await publishTo(first.url, 'c', `m${i}-${PAYLOAD}`)).seq).toBe(i);
      await kill9(first);
      fillUp(join(folder, 'filler'));
      const small = await serveJournal(journal, '--ring', '2');
      expect((await readBack(small.url, 'c')).map((envelope) => envelope.seq)).toEqual([5, 6]);
      expectRefused(await publishTo(small.url, 'c', `refused-${PAYLOAD.repeat(6)}`));
      await kill9(small);
      rmSync(join(folder, 'filler'));
      const whole = await serveJournal(journal);
      expect((await readBack(whole.url, 'c')).map((envelope) => envelope.seq)).toEqual([1, 2, 3, 4, 5, 6]);
    },
    { timeoutMs: TIMEOUT_MS },
  );
});
