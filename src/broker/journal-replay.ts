import { constants } from 'node:fs';
import { type FileHandle, open } from 'node:fs/promises';
import { MAX_CHANNELS } from '../core/constants.js';
import { ImBenchError } from '../core/errors.js';
import { Broker } from './broker.js';
import { damaged, describeSystemError } from './journal-errors.js';
import type { JournalFile } from './journal-file.js';
import { type Line, LineTooLong, readLines } from './journal-lines.js';
import { parseRecord, RecordProblem } from './journal-records.js';

export interface ReplayLimits {
  ringSize: number;
  /** Bytes of messages all rings together may hold. */
  maxBytes: number;
  /** The longest line the server could have written; a longer one is damage. */
  maxLineBytes: number;
  /** Where that limit comes from, for the message that refuses a longer line. */
  maxLineReason: string;
}

export interface Replayed {
  broker: Broker;
  /** Envelopes put back into the rings. */
  restored: number;
  /** Bytes from the start of the file to the end of its last complete line. */
  keptBytes: number;
  /** The file's bytes as read: more than `keptBytes` when its last line was torn by a kill. */
  fileBytes: number;
}

/**
 * Reads a journal into a broker, one rule for every line: each complete line must be the
 * header (line 1) or a valid envelope or mark continuing its channel, wherever it is, the last
 * one included. Only an incomplete last line, the mark of a kill in the middle of a write, is
 * left out; the server never acknowledged it. Memory holds what the rings keep, not the file.
 */
export async function replay(file: JournalFile, limits: ReplayLimits): Promise<Replayed> {
  if (file.identity === undefined) {
    return { broker: new Broker(limits.ringSize, limits.maxBytes), restored: 0, keptBytes: 0, fileBytes: 0 };
  }
  const handle = await openChecked(file);
  try {
    const restorer = new Restorer(file.path, limits);
    try {
      for await (const line of readLines(handle, limits.maxLineBytes)) restorer.take(line);
    } catch (error) {
      if (error instanceof LineTooLong) throw damaged(file.path, `${error.message}, ${limits.maxLineReason}`);
      if (error instanceof ImBenchError) throw error;
      throw new ImBenchError('IMB_ERR_JOURNAL', `journal ${file.path}: cannot read it: ${describeSystemError(error)}`, {
        cause: error,
      });
    }
    return restorer.result();
  } finally {
    await handle.close();
  }
}

/** Opens the file that was checked, without blocking and without following a link put there since. */
async function openChecked(file: JournalFile): Promise<FileHandle> {
  let handle: FileHandle;
  try {
    handle = await open(file.path, constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOFOLLOW);
  } catch (error) {
    throw new ImBenchError('IMB_ERR_JOURNAL', `journal ${file.path}: cannot read it: ${describeSystemError(error)}`);
  }
  const stats = await handle.stat();
  if (!stats.isFile() || stats.dev !== file.identity?.dev || stats.ino !== file.identity.ino) {
    await handle.close();
    throw new ImBenchError('IMB_ERR_JOURNAL', `journal ${file.path} was replaced while it was being opened`);
  }
  return handle;
}

class Restorer {
  private broker: Broker | undefined;
  private restored = 0;
  private keptBytes = 0;
  private fileBytes = 0;

  constructor(
    private readonly path: string,
    private readonly limits: ReplayLimits,
  ) {}

  take(line: Line): void {
    this.fileBytes = line.end;
    if (!line.complete) {
      // The server writes the header whole (into a new file it renames), so no kill tears it.
      if (this.broker === undefined) throw this.damaged(line, 'has no end of line: it should be the header');
      return;
    }
    let record: ReturnType<typeof parseRecord>;
    try {
      record = parseRecord(line.bytes, this.broker === undefined);
    } catch (error) {
      throw error instanceof RecordProblem ? this.damaged(line, error.message) : error;
    }
    if (record.kind === 'header') {
      this.broker = new Broker(this.limits.ringSize, this.limits.maxBytes, { epoch: record.epoch });
    } else if (record.kind === 'envelope') {
      this.restoreEnvelope(line, record.envelope.ch, record.envelope.seq, record.bytes);
    } else {
      this.restoreMark(line, record.channel, record.lastSeq);
    }
    this.keptBytes = line.end;
  }

  result(): Replayed {
    const broker = this.broker ?? new Broker(this.limits.ringSize, this.limits.maxBytes);
    return { broker, restored: this.restored, keptBytes: this.keptBytes, fileBytes: this.fileBytes };
  }

  private restoreEnvelope(line: Line, channel: string, seq: number, bytes: Buffer): void {
    const broker = this.broker!;
    if (!broker.hasChannel(channel)) {
      this.checkRoomForChannel(line, channel);
    } else if (seq !== broker.lastSeq(channel) + 1) {
      const last = broker.lastSeq(channel);
      throw this.damaged(line, `takes channel ${channel} from seq ${last} to ${seq}, where ${last + 1} should follow`);
    }
    try {
      broker.restore(channel, seq, bytes);
    } catch (error) {
      throw this.damaged(line, `cannot be put back: ${(error as Error).message}`);
    }
    this.restored++;
  }

  private restoreMark(line: Line, channel: string, lastSeq: number): void {
    const broker = this.broker!;
    // The server writes a mark only for a channel it starts the file with.
    if (broker.hasChannel(channel)) throw this.damaged(line, `marks channel ${channel}, which earlier lines hold`);
    this.checkRoomForChannel(line, channel);
    broker.restoreMark(channel, lastSeq);
  }

  private checkRoomForChannel(line: Line, channel: string): void {
    if (this.broker!.channelCount >= MAX_CHANNELS) {
      throw this.damaged(line, `opens channel ${channel}, past the ${MAX_CHANNELS} channels a server holds`);
    }
  }

  private damaged(line: Line, problem: string): ImBenchError {
    return damaged(this.path, `line ${line.number} ${problem}`);
  }
}
