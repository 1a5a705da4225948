import { renameSync, rmSync, truncateSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect } from 'vitest';
import { kill9, publishTo, readBack, serveJournal, tempFolder } from './journal-fixtures.js';
import { hostileCase, Tally } from './tally.js';

const tally = new Tally('journal', 'a journal touched while the server runs');
const TIMEOUT_MS = 20_000;

/** A server on a fresh journal, with two publishes acknowledged. */
async function serverWithTwo(): Promise<{ journal: string; server: Awaited<ReturnType<typeof serveJournal>> }> {
  const journal = join(tempFolder(), 'j.jsonl');
  const server = await serveJournal(journal);
  for (const data of ['a', 'b']) expect((await publishTo(server.url, 'room', data)).status).toBe(202);
  return { journal, server };
}

describe('journal: a file changed by someone else while the server runs', () => {
  hostileCase(
    tally,
    'the journal removed → later publishes are refused (503 journal_unwritable), never acknowledged into a file gone',
    async () => {
      const { journal, server } = await serverWithTwo();
      rmSync(journal);
      const refused = await publishTo(server.url, 'room', 'c');
      expect([refused.status, refused.code]).toEqual([503, 'journal_unwritable']);
      expect(refused.message).toMatch(/removed while the server ran/);
      await kill9(server);
      const again = await serveJournal(journal);
      expect(await readBack(again.url, 'room')).toEqual([]);
    },
    { timeoutMs: TIMEOUT_MS },
  );

  hostileCase(
    tally,
    'the journal cut short by another process → refused (503), and the file is not cut back over the other writer',
    async () => {
      const { journal, server } = await serverWithTwo();
      truncateSync(journal, 10);
      const refused = await publishTo(server.url, 'room', 'c');
      expect([refused.status, refused.code]).toEqual([503, 'journal_unwritable']);
      expect(refused.message).toMatch(/another process changed the journal file/);
      await kill9(server);
    },
    { timeoutMs: TIMEOUT_MS },
  );

  hostileCase(
    tally,
    'the journal renamed (moved aside) → publishes still acknowledged go into the moved file, which starts a server',
    async () => {
      const { journal, server } = await serverWithTwo();
      const moved = `${journal}.moved`;
      renameSync(journal, moved);
      expect((await publishTo(server.url, 'room', 'c')).status).toBe(202);
      await kill9(server);
      const again = await serveJournal(moved);
      expect((await readBack(again.url, 'room')).map((envelope) => envelope.data)).toEqual(['a', 'b', 'c']);
    },
    { timeoutMs: TIMEOUT_MS },
  );
});
