import { StringDecoder } from 'node:string_decoder';

/** The longest line the client holds (characters); past it the line is dropped and counted as an error. */
export const MAX_LINE_CHARS = 1024 * 1024;

/**
 * Splits a byte stream into lines of text (UTF-8, a character split across chunks kept whole)
 * and hands each non-empty one to `onLine`. A line longer than MAX_LINE_CHARS is reported to
 * `onOverflow` and skipped up to its end, so one bad line cannot make the client hold the stream.
 */
export class NdjsonLines {
  private decoder = new StringDecoder('utf8');
  private partial = '';
  private skipping = false;

  constructor(
    private readonly onLine: (line: string) => void,
    private readonly onOverflow: () => void,
  ) {}

  /** A new stream: nothing of the last one carries over. */
  reset(): void {
    this.decoder = new StringDecoder('utf8');
    this.partial = '';
    this.skipping = false;
  }

  feed(chunk: Buffer): void {
    const text = this.decoder.write(chunk);
    let start = 0;
    for (let end = text.indexOf('\n'); end !== -1; end = text.indexOf('\n', start)) {
      const piece = text.slice(start, end);
      start = end + 1;
      if (this.skipping) {
        this.skipping = false;
        continue;
      }
      const line = this.partial === '' ? piece : this.partial + piece;
      this.partial = '';
      if (line.length > MAX_LINE_CHARS) this.onOverflow();
      else if (line.trim() !== '') this.onLine(line);
    }
    if (this.skipping) return;
    this.partial += text.slice(start);
    if (this.partial.length > MAX_LINE_CHARS) {
      this.partial = '';
      this.skipping = true;
      this.onOverflow();
    }
  }
}
