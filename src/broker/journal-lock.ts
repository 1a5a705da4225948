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
import { formatHolder, holdsLock, parseHolder } from './lock-holder.js';

/** A lock holds one short line; anything longer is not one the server wrote. */
const MAX_LOCK_BYTES = 64;
/** Each attempt either takes the lock or clears a stale one: more than a few means others keep racing for it. */
const ATTEMPTS = 5;
const NOT_PERMITTED = new Set(['EACCES', 'EPERM', 'EROFS']);

/** Locks this process holds, released by the 'exit' backstop if nothing else did. */
const held = new Set<JournalLock>();
let backstopInstalled = false;

/**
 * One server per journal: `FILE.lock` names the holder's pid and start time, and the holder
 * keeps it open while it runs. A lock whose holder is gone (a SIGKILL leaves its lock
 * behind), whose content the server did not write (empty, `0`, garbage), or whose pid now
 * belongs to another process, is stale and taken over. Every exit the server controls
 * removes its lock; a synchronous 'exit' handler catches a fatal error or process.exit().
 */
export class JournalLock {
  private released = false;

  private constructor(
    readonly path: string,
    private readonly fd: number,
  ) {}

  static acquire(journal: JournalFile): JournalLock {
    const path = `${journal.path}.lock`;
    for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
      const lock = JournalLock.create(path, journal);
      if (lock !== undefined) return lock;
      const stats = lstatSync(path, { throwIfNoEntry: false });
      if (stats === undefined) continue;
      if (stats.isDirectory()) {
        throw badJournalPath(journal.given, `a journal whose lock ${path} im-bench can create (it is a folder)`);
      }
      const holder = stats.isFile() ? parseHolder(readSmall(path)) : undefined;
      if (holder !== undefined && holdsLock(holder, stats)) {
        throw new ImBenchError(
          'IMB_ERR_JOURNAL',
          `journal ${journal.path} is in use by process ${holder.pid} (${path}): stop that server, or give this one another --journal`,
        );
      }
      setAside(path, stats, journal);
    }
    throw new ImBenchError('IMB_ERR_JOURNAL', `journal ${journal.path}: other processes keep taking its lock ${path}`);
  }

  /** Creates the lock, or undefined when one is already there; O_EXCL never follows a link planted at the path. */
  private static create(path: string, journal: JournalFile): JournalLock | undefined {
    let fd: number;
    try {
      fd = openSync(path, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, 0o644);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') return undefined;
      throw lockFailed(path, journal, error);
    }
    try {
      writeAll(fd, Buffer.from(formatHolder(process.pid)));
    } catch (error) {
      closeSync(fd);
      removeQuietly(path);
      throw lockFailed(path, journal, error);
    }
    const lock = new JournalLock(path, fd);
    held.add(lock);
    installBackstop();
    return lock;
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
  }
}

function installBackstop(): void {
  if (backstopInstalled) return;
  backstopInstalled = true;
  process.on('exit', () => {
    for (const lock of [...held]) lock.release();
  });
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

/**
 * Clears a stale lock by renaming it aside first: if another server took the lock between
 * the look and the rename, what was moved is not the file judged stale, and it is put back.
 */
function setAside(path: string, stale: Stats, journal: JournalFile): void {
  const aside = `${path}.${process.pid}.stale`;
  try {
    renameSync(path, aside);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw lockFailed(path, journal, error);
  }
  const moved = lstatSync(aside, { throwIfNoEntry: false });
  if (moved !== undefined && !sameFile(moved, stale)) {
    try {
      linkSync(aside, path);
    } catch {
      // A third server holds the path by now: the next attempt reads its lock.
    }
  }
  removeQuietly(aside);
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
  if (NOT_PERMITTED.has((error as NodeJS.ErrnoException).code ?? '')) {
    return badJournalPath(journal.given, `a file in a folder im-bench can write (its lock ${path}: ${reason})`);
  }
  return new ImBenchError('IMB_ERR_JOURNAL', `journal ${journal.path}: cannot take its lock ${path}: ${reason}`, {
    cause: error,
  });
}
