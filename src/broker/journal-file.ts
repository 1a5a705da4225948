import { accessSync, constants, lstatSync, realpathSync, type Stats, statSync } from 'node:fs';
import { fileKind, pseudoFilesystemOf, systemFolderOf } from '../core/file-kind.js';
import { basename, dirname, join, resolve } from 'node:path';
import { badJournalPath, describeSystemError } from './journal-errors.js';

export interface FileIdentity {
  readonly dev: number;
  readonly ino: number;
}

/** A journal path that passed the checks: a regular file, or a new one in a writable folder. */
export interface JournalFile {
  /** The path as the user gave it, for configuration errors. */
  readonly given: string;
  /** Its real path (symbolic links resolved): the journal is rewritten and locked there. */
  readonly path: string;
  /** The file that was checked, so that the one read is the same; undefined when it is yet to be created. */
  readonly identity: FileIdentity | undefined;
}

const EXPECTED = 'a regular file, or a new file in a writable folder';
/**
 * The lock, its draft and the rewrite's temporary file sit beside the journal with suffixes
 * of up to 17 bytes (`.lock.4194304.new`); a name is at most 255 bytes on Linux filesystems.
 */
const MAX_NAME_BYTES = 230;

/**
 * Checks a journal path before anything opens it: a device, a fifo (which would block the
 * open), a folder, a missing folder, an unwritable place or a kernel filesystem is a
 * configuration error naming `--journal`, the path and what would do.
 */
export function checkJournalFile(given: string): JournalFile {
  if (given.trim() === '') throw badJournalPath(given, 'a path to a file');
  const absolute = resolve(given);
  checkNameLength(basename(absolute), given);
  const stats = statIfPresent(absolute, given);
  if (stats === undefined) return checkNewFile(absolute, given);
  if (!stats.isFile()) throw badJournalPath(given, `${EXPECTED} (${absolute} is ${fileKind(stats)})`);
  const path = realpathSync(absolute);
  // The lock and temporary files are named after the real file, which a short link may hide.
  checkNameLength(basename(path), given);
  checkFilesystem(dirname(path), given);
  checkAccess(path, constants.R_OK | constants.W_OK, given, 'the file');
  checkAccess(dirname(path), FOLDER_ACCESS, given, 'its folder');
  return { given, path, identity: { dev: stats.dev, ino: stats.ino } };
}

/** The folder is written (lock, rewrite) and opened to be synced after a rename. */
const FOLDER_ACCESS = constants.R_OK | constants.W_OK | constants.X_OK;

function checkNameLength(name: string, given: string): void {
  if (Buffer.byteLength(name) > MAX_NAME_BYTES) {
    throw badJournalPath(
      given,
      `a file name of at most ${MAX_NAME_BYTES} bytes (its lock and temporary files add to it)`,
    );
  }
}

function statIfPresent(absolute: string, given: string): Stats | undefined {
  try {
    return statSync(absolute);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'ENOENT') throw badJournalPath(given, `${EXPECTED} (${describeSystemError(error)})`);
  }
  if (lstatSync(absolute, { throwIfNoEntry: false })?.isSymbolicLink() === true) {
    throw badJournalPath(given, `${EXPECTED} (${absolute} is a symbolic link to nothing)`);
  }
  return undefined;
}

function checkNewFile(absolute: string, given: string): JournalFile {
  const folder = dirname(absolute);
  let stats: Stats;
  try {
    stats = statSync(folder);
  } catch (error) {
    throw badJournalPath(given, `a file in an existing folder (${folder}: ${describeSystemError(error)})`);
  }
  if (!stats.isDirectory()) throw badJournalPath(given, `a file in a folder (${folder} is ${fileKind(stats)})`);
  const real = realpathSync(folder);
  checkFilesystem(real, given);
  checkAccess(real, FOLDER_ACCESS, given, 'its folder');
  return { given, path: join(real, basename(absolute)), identity: undefined };
}

function checkFilesystem(folder: string, given: string): void {
  const name = pseudoFilesystemOf(folder);
  if (name !== undefined) {
    throw badJournalPath(given, `a file on storage, not on the kernel's ${name} filesystem (${folder})`);
  }
  // /dev is a tmpfs to statfs, but holds the system's devices.
  const system = systemFolderOf(folder);
  if (system !== undefined) throw badJournalPath(given, `a file on storage, not under ${system} (${folder})`);
}

/** Root passes permission bits, not a read-only mount or an immutable file: access(2) knows all three. */
function checkAccess(path: string, mode: number, given: string, what: string): void {
  try {
    accessSync(path, mode);
  } catch (error) {
    throw badJournalPath(given, `a file im-bench can read and write (${what}, ${path}: ${describeSystemError(error)})`);
  }
}
