import {
  closeSync,
  createReadStream,
  existsSync,
  openSync,
  readFileSync,
  renameSync,
  unlinkSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { createInterface } from 'node:readline';
import { ImBenchError } from '../core/errors.js';
import { Broker, type BrokerEntry } from './broker.js';

const NEWLINE = Buffer.from('\n');

/** A publish the journal could not take because the server is closing. */
export class JournalClosed extends Error {
  constructor() {
    super('the server is shutting down: its journal is closed');
    this.name = 'JournalClosed';
  }
}

function damaged(path: string, problem: string): ImBenchError {
  return new ImBenchError('IMB_ERR_JOURNAL', `journal ${path}: ${problem}; move it aside to start a new log`);
}

/**
 * The broker's log in an append-only file, so a server killed and started again keeps its
 * messages and its epoch: a header line `{"epoch":"…"}`, then one envelope per line (a channel
 * whose ring kept nothing is remembered by `{"mark":{"ch","lastSeq"}}`). Each line is written
 * before the message is stored or sent; a process kill cannot lose what the kernel already
 * has (a machine crash can: there is no fsync). On open the file is rewritten to what the rings
 * keep, which also drops a line torn by a kill, and it is locked against a second server.
 */
export class Journal {
  private closed = false;

  private constructor(
    private readonly fd: number,
    private readonly lockPath: string,
  ) {}

  static async open(
    path: string,
    ringSize: number,
    maxBytes: number,
  ): Promise<{ broker: Broker; journal: Journal; restored: number }> {
    const lockPath = `${path}.lock`;
    lock(lockPath, path);
    try {
      const { broker, restored } = await replay(path, ringSize, maxBytes);
      compact(path, broker);
      const journal = new Journal(openSync(path, 'a'), lockPath);
      broker.persistWith((entry) => journal.append(entry));
      return { broker, journal, restored };
    } catch (error) {
      unlinkSync(lockPath);
      throw error;
    }
  }

  append(entry: BrokerEntry): void {
    if (this.closed) throw new JournalClosed();
    writeAll(this.fd, Buffer.concat([entry.bytes, NEWLINE]));
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    closeSync(this.fd);
    unlinkSync(this.lockPath);
  }
}

/** A short write would leave a torn line in the middle of the file: write until all is written. */
function writeAll(fd: number, buffer: Buffer): void {
  for (let offset = 0; offset < buffer.length; ) offset += writeSync(fd, buffer, offset);
}

/** One server per journal; a lock left by a killed server (its pid gone) is taken over. */
function lock(lockPath: string, path: string): void {
  try {
    writeFileSync(lockPath, String(process.pid), { flag: 'wx' });
    return;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  const holder = Number(readFileSync(lockPath, 'utf8'));
  if (Number.isInteger(holder) && holder !== process.pid && isAlive(holder)) {
    throw new ImBenchError('IMB_ERR_JOURNAL', `journal ${path} is in use by process ${holder} (${lockPath})`);
  }
  writeFileSync(lockPath, String(process.pid));
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Reads the journal line by line into a broker: memory holds what the rings keep, not the file. */
async function replay(path: string, ringSize: number, maxBytes: number): Promise<{ broker: Broker; restored: number }> {
  if (!existsSync(path)) return { broker: new Broker(ringSize, maxBytes), restored: 0 };
  const lines = createInterface({ input: createReadStream(path), crlfDelay: Number.POSITIVE_INFINITY });
  let broker: Broker | undefined;
  let restored = 0;
  let pending: { line: string; number: number } | undefined;
  let number = 0;
  const take = ({ line, number: at }: { line: string; number: number }): void => {
    let value: { epoch?: unknown; seq?: unknown; ch?: unknown; mark?: { ch?: unknown; lastSeq?: unknown } };
    try {
      value = JSON.parse(line) as typeof value;
    } catch {
      throw damaged(path, `line ${at} is not JSON`);
    }
    if (broker === undefined) {
      if (typeof value.epoch !== 'string') throw damaged(path, 'line 1 should be {"epoch":"…"}');
      broker = new Broker(ringSize, maxBytes, { epoch: value.epoch });
      return;
    }
    try {
      if (typeof value.seq === 'number' && typeof value.ch === 'string') {
        broker.restore(value.ch, value.seq, Buffer.from(line));
        restored++;
      } else if (typeof value.mark?.ch === 'string' && typeof value.mark.lastSeq === 'number') {
        broker.restoreMark(value.mark.ch, value.mark.lastSeq);
      } else {
        throw damaged(path, `line ${at} is not an envelope`);
      }
    } catch (error) {
      throw error instanceof ImBenchError ? error : damaged(path, `line ${at}: ${(error as Error).message}`);
    }
  };
  // A line is taken once the next one exists: only the very last may be torn by a kill.
  for await (const line of lines) {
    number++;
    if (line === '') continue;
    if (pending !== undefined) take(pending);
    pending = { line, number };
  }
  if (pending !== undefined) {
    try {
      take(pending);
    } catch (error) {
      if (broker === undefined) throw error;
    }
  }
  return { broker: broker ?? new Broker(ringSize, maxBytes), restored };
}

/** Rewrites the journal to the header and what the rings keep, through a temporary file and a rename. */
function compact(path: string, broker: Broker): void {
  const lines = [JSON.stringify({ epoch: broker.epoch })];
  for (const { channel, lastSeq, entries } of broker.retained()) {
    if (entries.length === 0) lines.push(JSON.stringify({ mark: { ch: channel, lastSeq } }));
    for (const entry of entries) lines.push(entry.bytes.toString());
  }
  const temporary = `${path}.${process.pid}.tmp`;
  try {
    writeFileSync(temporary, `${lines.join('\n')}\n`);
    renameSync(temporary, path);
  } catch (error) {
    // A disk that filled up, a folder taken away: the journal stays as it was, with nothing beside it.
    try {
      unlinkSync(temporary);
    } catch {
      // Never written, or already gone.
    }
    throw error;
  }
}
