import { describe, expect, it } from 'vitest';
import { type Line, LineSplitter, LineTooLong } from '../../src/broker/journal-lines.js';

/** Feeds `chunks` in order; every line as [text, complete, end]. */
function split(chunks: string[], maxLineBytes = 100): [string, boolean, number][] {
  const splitter = new LineSplitter(maxLineBytes);
  const lines: Line[] = chunks.flatMap((chunk) => splitter.push(Buffer.from(chunk)));
  const last = splitter.end();
  if (last !== undefined) lines.push(last);
  return lines.map((line) => [line.bytes.toString(), line.complete, line.end]);
}

describe('LineSplitter', () => {
  it('splits on newlines and gives each line the offset past its newline', () => {
    expect(split(['a\nbc\n'])).toEqual([
      ['a', true, 2],
      ['bc', true, 5],
    ]);
  });

  it('joins a line that arrives in pieces, however it was cut', () => {
    expect(split(['{"se', 'q":1', '}\n{', '"seq":2}\n'])).toEqual([
      ['{"seq":1}', true, 10],
      ['{"seq":2}', true, 20],
    ]);
  });

  it('gives the bytes after the last newline as an incomplete line, and nothing when the file ends with one', () => {
    expect(split(['a\n', 'torn'])).toEqual([
      ['a', true, 2],
      ['torn', false, 6],
    ]);
    expect(split(['a\n'])).toEqual([['a', true, 2]]);
  });

  it("keeps empty lines and carriage returns: judging them is the reader's job", () => {
    expect(split(['\n\r\n'])).toEqual([
      ['', true, 1],
      ['\r', true, 3],
    ]);
  });

  it('accepts a line of exactly the limit', () => {
    expect(split(['x'.repeat(10), '\n'], 10)).toEqual([['x'.repeat(10), true, 11]]);
  });

  it('refuses a line one byte over the limit as soon as it has it, naming the line', () => {
    const splitter = new LineSplitter(10);
    splitter.push(Buffer.from('ok\n'));
    splitter.push(Buffer.from('x'.repeat(6)));
    expect(() => splitter.push(Buffer.from('x'.repeat(5)))).toThrow(new LineTooLong(2, 10));
  });

  it('refuses an over-long line without a newline, in the chunk where it passes the limit', () => {
    const splitter = new LineSplitter(1_000);
    expect(() => splitter.push(Buffer.alloc(64 * 1024))).toThrow(/line 1 is longer than 1000 bytes/);
  });
});
