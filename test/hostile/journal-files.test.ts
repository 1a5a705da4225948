import { execFileSync } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, lstatSync, mkdirSync, readFileSync, symlinkSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { describe, expect } from 'vitest';
import { defer } from '../helpers/cleanup.js';
import {
  caseNeeding,
  chattr,
  expectConfigError,
  mountTmpfs,
  NO_CHATTR,
  NO_TMPFS,
  publishTo,
  remountReadOnly,
  serveJournal,
  serveRefused,
  stop,
  tempFolder,
} from './journal-fixtures.js';
import { hostileCase, Tally } from './tally.js';

const tally = new Tally('journal', 'files that are not journals');

/** `serve --journal PATH` must exit 2 at once, naming --journal, the path and `expected`, and leave no lock. */
function refusedCase(name: string, path: () => string | Promise<string>, expected: RegExp, missing?: string): void {
  caseNeeding(missing, tally, `${name} → exit 2 naming --journal`, async () => {
    const journal = await path();
    const started = Date.now();
    expectConfigError(await serveRefused(journal), journal, expected);
    expect(Date.now() - started, 'refused before reading anything').toBeLessThan(5_000);
  });
}

describe('journal: devices and special files', () => {
  refusedCase('/dev/full', () => '/dev/full', /a regular file.*is a character device/);
  refusedCase('/dev/zero', () => '/dev/zero', /a regular file.*is a character device/);
  refusedCase('/dev/stdin (links to a character device here)', () => '/dev/stdin', /is a character device/);
  refusedCase(
    'a block device node (mknod b 7 0)',
    () => {
      const device = join(tempFolder(), 'loop');
      execFileSync('mknod', [device, 'b', '7', '0']);
      return device;
    },
    /is a block device/,
  );

  refusedCase(
    'a fifo (mkfifo), which would block an open for reading',
    () => {
      const fifo = join(tempFolder(), 'fifo');
      execFileSync('mkfifo', [fifo]);
      return fifo;
    },
    /is a named pipe/,
  );

  refusedCase(
    'a Unix socket',
    async () => {
      const socket = join(tempFolder(), 'socket');
      const server = createServer().listen(socket);
      await once(server, 'listening');
      defer(() => server.close());
      return socket;
    },
    /is a socket/,
  );
});

describe('journal: folders and places that cannot hold one', () => {
  refusedCase('a folder', () => tempFolder(), /a regular file.*is a folder/);
  refusedCase('a file in a missing folder', () => join(tempFolder(), 'missing', 'j.jsonl'), /an existing folder/);

  refusedCase(
    'a file under a regular file, as if it were a folder',
    () => {
      const file = join(tempFolder(), 'file');
      writeFileSync(file, '');
      return join(file, 'j.jsonl');
    },
    /not a directory, ENOTDIR|is not a regular file/,
  );

  // Root passes permission bits, so "read-only" here is a tmpfs mounted read-only.
  refusedCase(
    'a new file in a read-only folder (a tmpfs mounted ro)',
    () => join(mountTmpfs('64k', true), 'j.jsonl'),
    /can read and write.*read-only file system, EROFS/,
    NO_TMPFS,
  );

  refusedCase(
    'an existing journal on a filesystem remounted read-only',
    async () => {
      const folder = mountTmpfs('64k');
      const journal = join(folder, 'j.jsonl');
      const first = await serveJournal(journal);
      expect(await stop(first), first.stderr()).toBe(0);
      expect(existsSync(`${journal}.lock`)).toBe(false);
      remountReadOnly(folder);
      return journal;
    },
    /can read and write.*EROFS/,
    NO_TMPFS,
  );

  refusedCase(
    'an immutable journal (chattr +i)',
    async () => {
      const journal = join(mountTmpfs('64k'), 'j.jsonl');
      await stop(await serveJournal(journal));
      chattr(journal, '+i');
      return journal;
    },
    /can read and write.*operation not permitted, EPERM/,
    NO_CHATTR,
  );

  refusedCase('a new file in /proc', () => '/proc/im-bench-journal.jsonl', /not on the kernel's proc filesystem/);
  refusedCase('an existing file in /proc (/proc/self/status)', () => '/proc/self/status', /proc filesystem/);
  refusedCase('a new file in /sys', () => '/sys/kernel/im-bench-journal.jsonl', /sysfs filesystem/);
  refusedCase(
    'a new file in /dev (a tmpfs to statfs, but the system’s devices)',
    () => {
      const path = `/dev/im-bench-journal-${process.pid}.jsonl`;
      defer(() => {
        for (const leftover of [path, `${path}.lock`]) rmSync(leftover, { force: true });
      });
      return path;
    },
    /not under \/dev/,
  );
  refusedCase('an empty path', () => '', /a path to a file/);
  refusedCase(
    'a path longer than PATH_MAX',
    () => join(tempFolder(), 'a/'.repeat(2_100), 'j.jsonl'),
    /name too long, ENAMETOOLONG/,
  );
  refusedCase(
    'a name of 240 bytes, too long for the lock beside it',
    () => join(tempFolder(), 'j'.repeat(240)),
    /a file name of at most 230 bytes/,
  );
});

describe('journal: symbolic links', () => {
  refusedCase(
    'a symbolic link to nothing',
    () => {
      const link = join(tempFolder(), 'j.jsonl');
      symlinkSync('/nonexistent/im-bench-journal', link);
      return link;
    },
    /symbolic link to nothing/,
  );

  refusedCase(
    'a symbolic link loop',
    () => {
      const folder = tempFolder();
      symlinkSync(join(folder, 'b'), join(folder, 'a'));
      symlinkSync(join(folder, 'a'), join(folder, 'b'));
      return join(folder, 'a');
    },
    /too many symbolic links.*ELOOP/,
  );

  refusedCase(
    'a symbolic link to /dev/zero',
    () => {
      const link = join(tempFolder(), 'j.jsonl');
      symlinkSync('/dev/zero', link);
      return link;
    },
    /is a character device/,
  );

  hostileCase(
    tally,
    'a symbolic link to a journal: the journal behind it is used, and the link stays a link',
    async () => {
      const folder = tempFolder();
      mkdirSync(join(folder, 'real'));
      const target = join(folder, 'real', 'j.jsonl');
      const link = join(folder, 'j.jsonl');
      writeFileSync(target, '');
      symlinkSync(target, link);
      const first = await serveJournal(link);
      expect((await publishTo(first.url, 'c', 'm1')).seq).toBe(1);
      expect(await stop(first)).toBe(0);
      expect(lstatSync(link).isSymbolicLink(), 'the link was not replaced by a file').toBe(true);
      expect(readFileSync(target, 'utf8')).toContain('"data":"m1"');
      const second = await serveJournal(link);
      expect((await publishTo(second.url, 'c', 'm2')).seq).toBe(2);
    },
  );
});
