import { isPermissionError } from '../core/system-error.js';
import type { Server } from 'node:net';
import { atExit } from '../core/exit-backstop.js';
import {
  closeSync,
  constants,
  fstatSync,
  linkSync,
  lstatSync,
  openSync,
  readSync,
  renameSync,
  type Stats,
  unlinkSync,
} from 'node:fs';
import { ImBenchError } from '../core/errors.js';
import { writeAll } from './file-writes.js';
import { badJournalPath, describeSystemError } from './journal-errors.js';
import type { FileIdentity, JournalFile } from './journal-file.js';
import { claimMutex, MutexHeld } from './journal-mutex.js';
import { formatHolder, holdsLock, parseHolder } from './lock-holder.js';

/** A lock holds one short line; anything longer is not one the server wrote. */
const MAX_LOCK_BYTES = 64;
const NO_HARD_LINKS = new Set(['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS']);

/** Locks this process holds, released by the 'exit' backstop if nothing else did. */
const held = new Set<JournalLock>();
let backstopInstalled = false;

/**
 * One server per journal. The server first binds the journal's mutex (journal-mutex.ts), which
 * the kernel frees when a process dies, so two servers in one network namespace can never both
 * get past this point. It then looks at `FILE.lock`, which names a holder's pid and start time
 * and which the holder keeps open while it runs: a lock whose holder is alive in this PID
 * namespace and holds it is honoured; any other (left by a SIGKILL, empty, `0`, garbage, a pid
 * now another process's, a link, a fifo) is stale and replaced. Servers in other containers
 * sharing the file (another network and PID namespace) cannot see each other's mutex or pid:
 * one journal must not be shared across containers. Every exit the server controls removes
 * its lock; the process-wide exit backstop catches a fatal error or process.exit().
 */
export class JournalLock {
  private released = false;

  private constructor(
    readonly path: string,
    private readonly fd: number,
    private readonly mutex: Server | undefined,
  ) {}

  static async acquire(journal: JournalFile): Promise<JournalLock> {
    const path = `${journal.path}.lock`;
    let mutex: Server | undefined;
    try {
      mutex = await claimMutex(journal);
    } catch (error) {
      throw error instanceof MutexHeld ? inUse(journal, path) : error;
    }
    try {
      const stats = lstatSync(path, { throwIfNoEntry: false });
      if (stats !== undefined) {
        refuseIfHeld(path, stats, journal);
        removeStale(path, journal);
      }
      const lock = new JournalLock(path, writeLock(path, journal), mutex);
      held.add(lock);
      installBackstop();
      return lock;
    } catch (error) {
      mutex?.close();
      throw error;
    }
  }

  /** Removes the lock if it is still this one. Never throws: a lock left behind is taken over next time. */
  release(): void {
    if (this.released) return;
    this.released = true;
    held.delete(this);
    try {
      const mine = fstatSync(this.fd);
      const there = lstatSync(this.path, { throwIfNoEntry: false });
      if (there !== undefined && sameFile(there, mine)) unlinkSync(this.path);
    } catch {
      // Nothing better to do on the way out.
    }
    try {
      closeSync(this.fd);
    } catch {
      // Already closed.
    }
    this.mutex?.close();
  }
}

function installBackstop(): void {
  if (backstopInstalled) return;
  backstopInstalled = true;
  atExit(() => {
    for (const lock of [...held]) lock.release();
  });
}

/** A lock is honoured only when its holder is alive and holds it (see lock-holder.ts); a folder cannot be taken over. */
function refuseIfHeld(path: string, stats: Stats, journal: JournalFile): void {
  if (stats.isDirectory()) {
    throw badJournalPath(journal.given, `a journal whose lock ${path} im-bench can create (it is a folder)`);
  }
  const holder = stats.isFile() ? parseHolder(readSmall(path)) : undefined;
  if (holder !== undefined && holdsLock(holder, stats)) throw inUse(journal, path);
}

function inUse(journal: JournalFile, path: string): ImBenchError {
  const stats = lstatSync(path, { throwIfNoEntry: false });
  const holder = stats?.isFile() === true ? parseHolder(readSmall(path)) : undefined;
  const who = holder === undefined ? 'another server' : `process ${holder.pid}`;
  return new ImBenchError(
    'IMB_ERR_JOURNAL',
    `journal ${journal.path} is in use by ${who} (${path}): stop that server, or give this one another --journal`,
  );
}

/**
 * Writes the lock whole into a draft, then links it in place: a server that judges locks by
 * their content alone (where there is no mutex) never sees it half written, and the link
 * fails if such a server wrote its own meanwhile. Where a filesystem has no hard links, the
 * draft is renamed in place instead.
 */
function writeLock(path: string, journal: JournalFile): number {
  const draft = `${path}.${process.pid}.new`;
  removeQuietly(draft);
  let fd: number | undefined;
  try {
    fd = openSync(draft, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, 0o644);
    writeAll(fd, Buffer.from(formatHolder(process.pid)));
    linkInPlace(draft, path);
    return fd;
  } catch (error) {
    if (fd !== undefined) closeSync(fd);
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') throw inUse(journal, path);
    throw lockFailed(path, journal, error);
  } finally {
    removeQuietly(draft);
  }
}

function linkInPlace(draft: string, path: string): void {
  try {
    linkSync(draft, path);
  } catch (error) {
    if (!NO_HARD_LINKS.has((error as NodeJS.ErrnoException).code ?? '')) throw error;
    renameSync(draft, path);
  }
}

/** Clears a stale lock, which on a full disk also gives back the room the new one needs. */
function removeStale(path: string, journal: JournalFile): void {
  try {
    unlinkSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw lockFailed(path, journal, error);
  }
}

/** The start of a lock file, read without blocking or following a link; empty when it cannot be read. */
function readSmall(path: string): string {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  } catch {
    return '';
  }
  try {
    const buffer = Buffer.alloc(MAX_LOCK_BYTES + 1);
    const length = fstatSync(fd).isFile() ? readSync(fd, buffer, 0, buffer.length, 0) : 0;
    return length > MAX_LOCK_BYTES ? '' : buffer.subarray(0, length).toString('latin1');
  } catch {
    return '';
  } finally {
    closeSync(fd);
  }
}

function removeQuietly(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // Gone already, or not ours to remove: a stale lock is taken over next time.
  }
}

function sameFile(a: FileIdentity, b: FileIdentity): boolean {
  return a.dev === b.dev && a.ino === b.ino;
}

function lockFailed(path: string, journal: JournalFile, error: unknown): ImBenchError {
  const reason = describeSystemError(error);
  if (isPermissionError(error)) {
    return badJournalPath(journal.given, `a file in a folder im-bench can write (its lock ${path}: ${reason})`);
  }
  return new ImBenchError('IMB_ERR_JOURNAL', `journal ${journal.path}: cannot take its lock ${path}: ${reason}`, {
    cause: error,
  });
}
