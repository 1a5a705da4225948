import { accessSync, constants, lstatSync, realpathSync, type Stats, statfsSync, statSync } from 'node:fs';
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

/** Kernel filesystems whose files are not storage: a journal there is a mistake (statfs f_type magics). */
const PSEUDO_FILESYSTEMS = new Map<number, string>([
  [0x9fa0, 'proc'],
  [0x62656572, 'sysfs'],
  [0x27e0eb, 'cgroup'],
  [0x63677270, 'cgroup2'],
  [0x64626720, 'debugfs'],
  [0x74726163, 'tracefs'],
  [0x73636673, 'securityfs'],
  [0x1cd1, 'devpts'],
  [0x6165676c, 'pstore'],
  [0xcafe4a11, 'bpf'],
  [0x62656570, 'configfs'],
  [0x42494e4d, 'binfmt_misc'],
  [0xde5e81e4, 'efivarfs'],
]);

function kindOf(stats: Stats): string {
  if (stats.isDirectory()) return 'a folder';
  if (stats.isCharacterDevice()) return 'a character device';
  if (stats.isBlockDevice()) return 'a block device';
  if (stats.isFIFO()) return 'a fifo (named pipe)';
  if (stats.isSocket()) return 'a socket';
  return 'not a regular file';
}

/**
 * Checks a journal path before anything opens it: a device, a fifo (which would block the
 * open), a folder, a missing folder, an unwritable place or a kernel filesystem is a
 * configuration error naming `--journal`, the path and what would do.
 */
export function checkJournalFile(given: string): JournalFile {
  if (given.trim() === '') throw badJournalPath(given, 'a path to a file');
  const absolute = resolve(given);
  if (Buffer.byteLength(basename(absolute)) > MAX_NAME_BYTES) {
    throw badJournalPath(
      given,
      `a file name of at most ${MAX_NAME_BYTES} bytes (its lock and temporary files add to it)`,
    );
  }
  const stats = statIfPresent(absolute, given);
  if (stats === undefined) return checkNewFile(absolute, given);
  if (!stats.isFile()) throw badJournalPath(given, `${EXPECTED} (${absolute} is ${kindOf(stats)})`);
  const path = realpathSync(absolute);
  checkFilesystem(dirname(path), given);
  checkAccess(path, constants.R_OK | constants.W_OK, given, 'the file');
  checkAccess(dirname(path), constants.W_OK, given, 'its folder');
  return { given, path, identity: { dev: stats.dev, ino: stats.ino } };
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
  if (!stats.isDirectory()) throw badJournalPath(given, `a file in a folder (${folder} is ${kindOf(stats)})`);
  const real = realpathSync(folder);
  checkFilesystem(real, given);
  checkAccess(real, constants.W_OK, given, 'its folder');
  return { given, path: join(real, basename(absolute)), identity: undefined };
}

function checkFilesystem(folder: string, given: string): void {
  const name = PSEUDO_FILESYSTEMS.get(statfsSync(folder).type);
  if (name !== undefined) {
    throw badJournalPath(given, `a file on storage, not on the kernel's ${name} filesystem (${folder})`);
  }
}

/** Root passes permission bits, not a read-only mount or an immutable file: access(2) knows all three. */
function checkAccess(path: string, mode: number, given: string, what: string): void {
  try {
    accessSync(path, mode);
  } catch (error) {
    throw badJournalPath(given, `a file im-bench can read and write (${what}, ${path}: ${describeSystemError(error)})`);
  }
}
