import { closeSync, existsSync, openSync, readFileSync, writeSync } from 'node:fs';
import { ImBenchError } from '../core/errors.js';
import { Broker, type BrokerEntry } from './broker.js';

const NEWLINE = Buffer.from('\n');

/**
 * The broker's log in an append-only file, so a server killed and started again keeps its
 * messages and its epoch: one header line `{"epoch":"…"}`, then one envelope per line. Each
 * line is written (one write call) before the message reaches any client; a process kill
 * cannot lose what the kernel already has.
 */
export class Journal {
  private constructor(private readonly fd: number) {}

  /** Opens (or creates) the journal at `path` and returns a broker holding what it recorded. */
  static open(path: string, ringSize: number, maxBytes: number): { broker: Broker; journal: Journal; restored: number } {
    const recorded = existsSync(path) ? readJournal(path) : { epoch: undefined, entries: [] };
    const journal = new Journal(openSync(path, 'a'));
    const broker = new Broker(ringSize, maxBytes, { epoch: recorded.epoch, persist: (entry) => journal.append(entry) });
    if (recorded.epoch === undefined) journal.write(Buffer.from(JSON.stringify({ epoch: broker.epoch })));
    for (const { channel, seq, bytes } of recorded.entries) {
      try {
        broker.restore(channel, seq, bytes);
      } catch (error) {
        throw damaged(path, (error as Error).message);
      }
    }
    return { broker, journal, restored: recorded.entries.length };
  }

  append(entry: BrokerEntry): void {
    this.write(entry.bytes);
  }

  close(): void {
    closeSync(this.fd);
  }

  private write(line: Buffer): void {
    writeSync(this.fd, Buffer.concat([line, NEWLINE]));
  }
}

interface Recorded {
  epoch: string | undefined;
  entries: Array<{ channel: string; seq: number; bytes: Buffer }>;
}

function damaged(path: string, problem: string): ImBenchError {
  return new ImBenchError('IMB_ERR_JOURNAL', `journal ${path}: ${problem}; move it aside to start a new log`);
}

function readJournal(path: string): Recorded {
  const lines = readFileSync(path, 'utf8').split('\n');
  const recorded: Recorded = { epoch: undefined, entries: [] };
  lines.forEach((line, index) => {
    if (line === '') return;
    let value: { epoch?: unknown; seq?: unknown; ch?: unknown };
    try {
      value = JSON.parse(line) as typeof value;
    } catch {
      // Only the last line can be torn (a kill in the middle of a write); any other is damage.
      if (index >= lines.length - 2) return;
      throw damaged(path, `line ${index + 1} is not JSON`);
    }
    if (index === 0) {
      if (typeof value.epoch !== 'string') throw damaged(path, 'line 1 should be {"epoch":"…"}');
      recorded.epoch = value.epoch;
    } else if (typeof value.seq === 'number' && typeof value.ch === 'string') {
      recorded.entries.push({ channel: value.ch, seq: value.seq, bytes: Buffer.from(line) });
    } else {
      throw damaged(path, `line ${index + 1} is not an envelope`);
    }
  });
  return recorded;
}
