import { closeSync, openSync, realpathSync, statSync, type Stats, unlinkSync } from 'node:fs';
import { dirname, resolve, sep } from 'node:path';
import { invalidOption } from '../core/errors.js';
import { fileKind, pseudoFilesystemOf, systemFolderOf } from '../core/file-kind.js';
import { temporaryPathFor } from './result-file.js';

/** Folders of devices and kernel state; /dev is an ordinary tmpfs by type, so it is named. /dev/shm is for files. */

function reasonOf(error: unknown): string {
  const { code, message } = error as NodeJS.ErrnoException;
  switch (code) {
    case 'ENOENT':
      return 'no such folder';
    case 'ENOTDIR':
      return 'a part of it is a file, not a folder';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EROFS':
      return 'a read-only file system';
    case 'ENAMETOOLONG':
      return 'the name is too long';
    default:
      return code ?? message;
  }
}

/** The folder's problem as a place for a report, if any: it must be a folder on an ordinary filesystem. */
function folderProblem(folder: string): string | undefined {
  let real: string;
  try {
    real = realpathSync(folder);
    if (!statSync(real).isDirectory()) return `${folder} is not a folder`;
  } catch (error) {
    return `${folder}: ${reasonOf(error)}`;
  }
  const system = systemFolderOf(real);
  if (system !== undefined)
    return `${real === system ? real : `${real} is under ${system}, which`} holds the system's devices and state, not files`;
  let type: string | undefined;
  try {
    type = pseudoFilesystemOf(real);
  } catch {
    // A filesystem that cannot say what it is: the probe below still tries it.
  }
  if (type !== undefined) return `${real} is on the ${type} pseudo filesystem, not on a disk`;
  return undefined;
}

/** What stands in the way of writing `path` as a report, or undefined. Tries it: root passes every permission bit. */
function outputProblem(path: string): string | undefined {
  if (path.trim() === '' || path.endsWith('/') || path.endsWith(sep)) return 'a file name, not a folder';
  const absolute = resolve(path);
  let existing: Stats | undefined;
  try {
    existing = statSync(absolute);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') return reasonOf(error);
  }
  if (existing !== undefined && !existing.isFile()) return `it is ${fileKind(existing)}`;
  const folderIssue = folderProblem(dirname(absolute));
  if (folderIssue !== undefined) return folderIssue;
  try {
    // Opening for append neither truncates it nor changes it.
    if (existing !== undefined) closeSync(openSync(absolute, 'a'));
    // The report is written beside it first and renamed over it: the folder must take a new file.
    const probe = temporaryPathFor(absolute);
    closeSync(openSync(probe, 'wx'));
    unlinkSync(probe);
  } catch (error) {
    return reasonOf(error);
  }
  return undefined;
}

/**
 * Each `--out` must be a regular file that can be written, or a new file in a folder on an
 * ordinary filesystem that takes new files: checked before any measuring, so a long run never
 * ends with nowhere to go. Exit 2 naming the path and what is wrong with it.
 */
export function checkOutputPaths(paths: readonly string[], flag = '--out'): void {
  for (const path of paths) {
    const problem = outputProblem(path);
    if (problem !== undefined)
      throw invalidOption(flag, path, `a regular file that can be written, in a folder on a disk (${problem})`);
  }
}
