import { isPermissionError } from '../core/system-error.js';
import { closeSync, fsyncSync, openSync, renameSync, truncateSync, unlinkSync } from 'node:fs';
import { dirname } from 'node:path';
import { ImBenchError } from '../core/errors.js';
import type { Broker } from './broker.js';
import { syncFolder, writeAll } from './file-writes.js';
import { badJournalPath, describeSystemError } from './journal-errors.js';
import type { JournalFile } from './journal-file.js';
import type { Replayed } from './journal-replay.js';

const OUT_OF_SPACE = new Set(['ENOSPC', 'EDQUOT', 'EFBIG']);

/** The header and what the rings keep, channel by channel: the journal as the server would write it today. */
function compactedText(broker: Broker): string {
  const lines = [JSON.stringify({ epoch: broker.epoch })];
  for (const { channel, lastSeq, entries } of broker.retained()) {
    if (entries.length === 0) lines.push(JSON.stringify({ mark: { ch: channel, lastSeq } }));
    for (const entry of entries) lines.push(entry.bytes.toString());
  }
  return `${lines.join('\n')}\n`;
}

/**
 * Brings the file on disk to what the broker holds before anything is appended to it. When
 * the rings dropped lines (or the file is new), it is rewritten through a temporary file and
 * a rename; when they dropped none, a torn last line is simply cut off. Every kept line is in
 * the server's own form (replay refuses any other), so the compacted text is those lines
 * grouped by channel, less what the rings evicted and the marks their channels' messages
 * follow: of the same length only when nothing was dropped.
 */
export function settleJournal(file: JournalFile, replayed: Replayed): void {
  const text = compactedText(replayed.broker);
  if (Buffer.byteLength(text) === replayed.keptBytes) {
    cutTornLine(file, replayed);
    return;
  }
  try {
    rewrite(file.path, text);
  } catch (error) {
    // On a full disk the file as it is still holds the same log: keep it, without its torn line.
    if (replayed.keptBytes > 0 && OUT_OF_SPACE.has((error as NodeJS.ErrnoException).code ?? '')) {
      cutTornLine(file, replayed);
      return;
    }
    throw writeFailed(file, 'rewrite', error);
  }
}

function cutTornLine(file: JournalFile, { keptBytes, fileBytes }: Replayed): void {
  if (fileBytes === keptBytes) return;
  try {
    truncateSync(file.path, keptBytes);
  } catch (error) {
    throw writeFailed(file, 'cut the torn line off', error);
  }
}

function rewrite(path: string, text: string): void {
  const temporary = `${path}.${process.pid}.tmp`;
  removeIfPresent(temporary);
  try {
    const fd = openSync(temporary, 'wx', 0o644);
    try {
      writeAll(fd, Buffer.from(text));
      // A rename of data still in the page cache can leave an empty journal after a machine crash.
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temporary, path);
  } catch (error) {
    removeIfPresent(temporary);
    throw error;
  }
  syncFolder(dirname(path));
}

function removeIfPresent(path: string): void {
  try {
    unlinkSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
}

function writeFailed(file: JournalFile, what: string, error: unknown): ImBenchError {
  const reason = describeSystemError(error);
  if (isPermissionError(error)) {
    return badJournalPath(file.given, `a file im-bench can write (it could not ${what} ${file.path}: ${reason})`);
  }
  return new ImBenchError('IMB_ERR_JOURNAL', `journal ${file.path}: could not ${what} it: ${reason}`, {
    cause: error,
  });
}
