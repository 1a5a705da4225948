import { closeSync, constants, fdatasyncSync, fstatSync, ftruncateSync, openSync } from 'node:fs';
import { DEFAULT_MAX_MESSAGE_BYTES } from '../core/constants.js';
import { ImBenchError } from '../core/errors.js';
import type { Broker, BrokerEntry } from './broker.js';
import { writeAll } from './file-writes.js';
import { settleJournal } from './journal-compact.js';
import { describeSystemError, JournalClosed, JournalUnwritable } from './journal-errors.js';
import { checkJournalFile } from './journal-file.js';
import { JOURNAL_LINE_MARGIN_BYTES } from './journal-lines.js';
import { JournalLock } from './journal-lock.js';
import { replay } from './journal-replay.js';

export { JournalClosed, JournalUnwritable } from './journal-errors.js';

const NEWLINE = Buffer.from('\n');

/** The journal file is no longer as the server left it: no append is tried, nothing is cut back. */
class JournalTouched extends Error {}

export interface JournalOptions {
  /** The server's largest publish: no line it writes is longer than this plus an envelope's fields. */
  maxMessageBytes?: number;
  /** fdatasync after each append, before the publish is acknowledged: the line then survives a machine crash. */
  fsync?: boolean;
  /** Told when appends start failing (with why) and when they succeed again. */
  onWritable?: (writable: boolean, reason: string) => void;
}

/**
 * The broker's log in an append-only file, so a server killed and started again keeps its
 * messages and its epoch: a header line `{"epoch":"…"}`, then one envelope per line (a channel
 * whose ring kept nothing is remembered by `{"mark":{"ch","lastSeq"}}`). Each line is written
 * whole before the message is stored, sent or acknowledged; a process kill cannot lose what
 * the kernel already has (a machine crash can, unless `fsync`). An append that fails is cut
 * back to the last whole line, so nothing is ever appended after a torn one. On open the file
 * is checked, locked against a second server, read line by line and brought to what the rings
 * keep (see journal-replay.ts and journal-compact.ts).
 */
export class Journal {
  private closed = false;
  /** A failed append left bytes past `length` that could not be cut back yet: nothing may follow them. */
  private torn = false;
  private failing = false;

  private constructor(
    private readonly fd: number,
    /** Bytes of whole lines in the file: where a failed append is cut back to. */
    private length: number,
    private readonly lock: JournalLock,
    private readonly options: JournalOptions,
  ) {}

  static async open(
    path: string,
    ringSize: number,
    maxBytes: number,
    options: JournalOptions = {},
  ): Promise<{ broker: Broker; journal: Journal; restored: number }> {
    const lock = await JournalLock.acquire(checkJournalFile(path));
    try {
      // Checked again under the lock: what the path names may have changed while it was being taken.
      const file = checkJournalFile(path);
      if (`${file.path}.lock` !== lock.path) {
        throw new ImBenchError('IMB_ERR_JOURNAL', `journal ${path} changed while it was being opened: start again`);
      }
      const maxMessageBytes = options.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES;
      const replayed = await replay(file, {
        ringSize,
        maxBytes,
        maxLineBytes: maxMessageBytes + JOURNAL_LINE_MARGIN_BYTES,
        maxLineReason: `more than any envelope a server with --max-message ${maxMessageBytes} writes`,
      });
      settleJournal(file, replayed);
      const { fd, length } = openForAppend(file.path);
      const journal = new Journal(fd, length, lock, options);
      replayed.broker.persistWith((entry) => journal.append(entry));
      return { broker: replayed.broker, journal, restored: replayed.restored };
    } catch (error) {
      lock.release();
      throw error;
    }
  }

  /** Writes the entry's line whole, or throws `JournalUnwritable` with the file as it was before. */
  append(entry: BrokerEntry): void {
    if (this.closed) throw new JournalClosed();
    const line = Buffer.concat([entry.bytes, NEWLINE]);
    try {
      if (this.torn) this.cutBack();
      this.checkUntouched();
      writeAll(this.fd, line);
      if (this.options.fsync === true) fdatasyncSync(this.fd);
    } catch (error) {
      if (error instanceof JournalTouched) {
        this.noteWritable(false, error.message);
        throw new JournalUnwritable(`${error.message}: restart the server to go on`);
      }
      this.torn = true;
      try {
        this.cutBack();
      } catch {
        // Still torn: every append tries again first, and none is written until it works.
      }
      const reason = describeSystemError(error);
      this.noteWritable(false, reason);
      throw new JournalUnwritable(this.torn ? `${reason}; a partly written line is not cut back yet` : reason);
    }
    this.length += line.length;
    this.noteWritable(true, 'an append succeeded');
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    try {
      closeSync(this.fd);
    } finally {
      this.lock.release();
    }
  }

  /**
   * The file is still the one the server writes, as it left it: removed (a line written to an
   * unlinked file would be acknowledged and lost at the next start) or changed by another
   * process (a cut-back would then damage it), it takes no more publishes until a restart.
   */
  private checkUntouched(): void {
    const { nlink, size } = fstatSync(this.fd);
    if (nlink === 0) throw new JournalTouched('the journal file was removed while the server ran');
    if (size !== this.length) throw new JournalTouched('another process changed the journal file');
  }

  private cutBack(): void {
    ftruncateSync(this.fd, this.length);
    this.torn = false;
  }

  private noteWritable(writable: boolean, reason: string): void {
    if (this.failing === !writable) return;
    this.failing = !writable;
    this.options.onWritable?.(writable, reason);
  }
}

/** O_APPEND: after a cut-back the next line goes to the new end. Non-blocking: a fifo put there since cannot stall. */
function openForAppend(path: string): { fd: number; length: number } {
  let fd: number;
  try {
    fd = openSync(path, constants.O_WRONLY | constants.O_APPEND | constants.O_NONBLOCK | constants.O_NOFOLLOW);
  } catch (error) {
    throw new ImBenchError(
      'IMB_ERR_JOURNAL',
      `journal ${path}: cannot open it to append: ${describeSystemError(error)}`,
    );
  }
  const stats = fstatSync(fd);
  if (!stats.isFile()) {
    closeSync(fd);
    throw new ImBenchError('IMB_ERR_JOURNAL', `journal ${path} was replaced by something else while it was opened`);
  }
  return { fd, length: stats.size };
}
