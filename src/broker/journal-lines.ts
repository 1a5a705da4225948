import type { FileHandle } from 'node:fs/promises';

const NEWLINE = 0x0a;
const READ_CHUNK_BYTES = 64 * 1024;

/**
 * What an envelope adds to the publish it came from: its seq, `t`, channel name, field names
 * and quotes. Serializing `data` and `from` never makes them longer than the JSON they were
 * published in, so no line the server writes is longer than its largest message plus this.
 */
export const JOURNAL_LINE_MARGIN_BYTES = 1024;

export interface Line {
  /** From 1. */
  readonly number: number;
  /** Without its newline. */
  readonly bytes: Buffer;
  /** Ended by a newline; only the last line of a file can be incomplete. */
  readonly complete: boolean;
  /** The offset just past this line and its newline. */
  readonly end: number;
}

/** A line longer than any the server writes: refused as soon as its length passes the limit. */
export class LineTooLong extends Error {
  constructor(
    readonly number: number,
    readonly limit: number,
  ) {
    super(`line ${number} is longer than ${limit} bytes`);
    this.name = 'LineTooLong';
  }
}

/**
 * Splits bytes into lines as they arrive, holding at most `maxLineBytes` of a line: unlike
 * readline, a file without newlines (a sparse file, a copy of /dev/zero) cannot fill memory.
 * The chunks pushed must not be reused afterwards: a line may be a view of them.
 */
export class LineSplitter {
  private parts: Buffer[] = [];
  private partBytes = 0;
  private number = 0;
  private offset = 0;

  constructor(private readonly maxLineBytes: number) {}

  push(chunk: Buffer): Line[] {
    const lines: Line[] = [];
    let start = 0;
    for (let newline = chunk.indexOf(NEWLINE); newline !== -1; newline = chunk.indexOf(NEWLINE, start)) {
      this.keep(chunk.subarray(start, newline));
      lines.push(this.take(true));
      start = newline + 1;
    }
    this.keep(chunk.subarray(start));
    return lines;
  }

  /** The bytes after the last newline, if any: an incomplete last line. */
  end(): Line | undefined {
    return this.partBytes === 0 ? undefined : this.take(false);
  }

  private keep(bytes: Buffer): void {
    if (bytes.length === 0) return;
    this.partBytes += bytes.length;
    if (this.partBytes > this.maxLineBytes) throw new LineTooLong(this.number + 1, this.maxLineBytes);
    this.parts.push(bytes);
  }

  private take(complete: boolean): Line {
    const bytes = this.parts.length === 1 ? this.parts[0]! : Buffer.concat(this.parts, this.partBytes);
    this.number++;
    this.offset += this.partBytes + (complete ? 1 : 0);
    this.parts = [];
    this.partBytes = 0;
    return { number: this.number, bytes, complete, end: this.offset };
  }
}

/** The lines of an open file, read from its current position to its end. */
export async function* readLines(handle: FileHandle, maxLineBytes: number): AsyncGenerator<Line> {
  const splitter = new LineSplitter(maxLineBytes);
  for (;;) {
    // A fresh buffer each time: the splitter keeps views of what it was given.
    const chunk = Buffer.allocUnsafe(READ_CHUNK_BYTES);
    const { bytesRead } = await handle.read(chunk, 0, chunk.length, null);
    if (bytesRead === 0) break;
    yield* splitter.push(chunk.subarray(0, bytesRead));
  }
  const last = splitter.end();
  if (last !== undefined) yield last;
}
