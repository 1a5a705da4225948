import { readFileSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect } from 'vitest';
import { Journal } from '../../src/broker/journal.js';
import { ImBenchError } from '../../src/core/errors.js';
import { serveRefused, tempFolder } from './journal-fixtures.js';
import { hostileCase, Tally } from './tally.js';

const tally = new Tally('journal', 'lines');
const HEADER = '{"epoch":"e1"}';

function envelope(seq: unknown, ch: unknown = 'a', extra = ''): string {
  return `{"seq":${JSON.stringify(seq)},"t":"1","ch":${JSON.stringify(ch)},"from":null,"data":"m${seq}"${extra}}`;
}

/** The lines, each with its newline. */
function file(...lines: string[]): string {
  return lines.map((line) => `${line}\n`).join('');
}

function writeJournal(content: string | Buffer): string {
  const path = join(tempFolder(), 'j.jsonl');
  writeFileSync(path, content);
  return path;
}

/** Opening refuses the file with IMB_ERR_JOURNAL naming the line, leaves no lock, and changes nothing in it. */
function damagedCase(name: string, content: () => string | Buffer, expected: RegExp): void {
  hostileCase(tally, `${name} → refused, naming the line`, async () => {
    const path = writeJournal(content());
    const before = readFileSync(path);
    const opening = Journal.open(path, 100, Number.POSITIVE_INFINITY);
    await expect(opening).rejects.toThrow(ImBenchError);
    await expect(opening).rejects.toMatchObject({ code: 'IMB_ERR_JOURNAL', message: expect.stringMatching(expected) });
    expect(readFileSync(path).equals(before), 'a refused journal is left as it was').toBe(true);
    await expect(Journal.open(path, 100, Number.POSITIVE_INFINITY)).rejects.toThrow(ImBenchError);
  });
}

async function reopen(path: string, maxMessageBytes?: number): Promise<Awaited<ReturnType<typeof Journal.open>>> {
  const opened = await Journal.open(path, 100, Number.POSITIVE_INFINITY, { maxMessageBytes });
  return opened;
}

describe('journal: complete lines that are not what the server writes, wherever they are', () => {
  damagedCase(
    'a line that is not JSON in the middle',
    () => file(HEADER, envelope(1), 'garbage', envelope(2)),
    /line 3 is not JSON/,
  );
  damagedCase(
    'a complete last line that is not JSON',
    () => file(HEADER, envelope(1), 'garbage'),
    /line 3 is not JSON/,
  );
  damagedCase(
    'a complete last line that is JSON but no envelope',
    () => file(HEADER, envelope(1), '{"seq":2}'),
    /line 3 should be an envelope.*no "t"/,
  );
  damagedCase('a JSON array as a line', () => file(HEADER, '[1,2]', envelope(1)), /line 2 is JSON but not an envelope/);
  damagedCase(
    'an envelope with a field the server never writes',
    () => file(HEADER, envelope(1, 'a', ',"admin":true')),
    /line 2 .*unexpected "admin"/,
  );
  damagedCase(
    'seq 0 on the last line',
    () => file(HEADER, envelope(0)),
    /line 2 .*bad "seq": expected an integer from 1, got 0/,
  );
  damagedCase('a fractional seq', () => file(HEADER, envelope(1.5), envelope(2)), /line 2 .*bad "seq"/);
  damagedCase('a seq written as a string', () => file(HEADER, envelope('1')), /line 2 .*bad "seq"/);
  damagedCase('a channel name with a space', () => file(HEADER, envelope(1, 'a b'), envelope(1)), /line 2 .*bad "ch"/);
  damagedCase('a channel name of 65 characters', () => file(HEADER, envelope(1, 'c'.repeat(65))), /line 2 .*bad "ch"/);
  damagedCase(
    'a t that is not decimal nanoseconds',
    () => file(HEADER, envelope(1).replace('"t":"1"', '"t":"1e9"')),
    /line 2 .*bad "t"/,
  );
  damagedCase(
    'data that is not a string',
    () => file(HEADER, envelope(1).replace('"data":"m1"', '"data":42')),
    /line 2 .*bad "data"/,
  );
  damagedCase(
    'from that is a number',
    () => file(HEADER, envelope(1).replace('"from":null', '"from":7')),
    /line 2 .*bad "from"/,
  );
});

describe('journal: complete lines out of order, or in the wrong place', () => {
  damagedCase(
    'a repeated seq in the middle',
    () => file(HEADER, envelope(1), envelope(2), envelope(2), envelope(3)),
    /line 4 takes channel a from seq 2 to 2/,
  );
  damagedCase(
    'a seq that jumps on the last line',
    () => file(HEADER, envelope(1), envelope(3)),
    /line 3 takes channel a from seq 1 to 3, where 2 should follow/,
  );
  damagedCase(
    'a seq going backwards',
    () => file(HEADER, envelope(5), envelope(4)),
    /line 3 takes channel a from seq 5 to 4/,
  );
  damagedCase(
    "a mark after its channel's envelopes",
    () => file(HEADER, envelope(1), '{"mark":{"ch":"a","lastSeq":9}}'),
    /line 3 marks channel a, which earlier lines hold/,
  );
  damagedCase('a mark with lastSeq 0', () => file(HEADER, '{"mark":{"ch":"a","lastSeq":0}}'), /line 2 .*bad "lastSeq"/);
  damagedCase(
    'a second header',
    () => file(HEADER, envelope(1), HEADER),
    /line 3 is neither an envelope .* nor a mark/,
  );
  damagedCase('a header with a bad epoch', () => file('{"epoch":"e 1"}', envelope(1)), /line 1 .*bad "epoch"/);
  damagedCase(
    'an envelope where the header should be',
    () => file(envelope(1), envelope(2)),
    /line 1 should be the header/,
  );
  damagedCase('an empty line in the middle', () => file(HEADER, envelope(1), '', envelope(2)), /line 3 is empty/);
  damagedCase(
    'a line that is not UTF-8',
    () => Buffer.concat([Buffer.from(file(HEADER)), Buffer.from([0x7b, 0xff, 0xfe, 0x7d, 0x0a])]),
    /line 2 is not UTF-8/,
  );
  damagedCase('a torn header (the only line, no newline)', () => '{"epoch":"e1"', /line 1 has no end of line/);
  damagedCase(
    'channel 1025',
    () => file(HEADER, ...Array.from({ length: 1025 }, (_, index) => envelope(1, `c${index}`))),
    /line 1026 opens channel c1024, past the 1024 channels/,
  );
});

describe('journal: lines longer than any the server writes', () => {
  damagedCase(
    'a 1 MiB line in the middle',
    () => file(HEADER, envelope(1).replace('m1', 'x'.repeat(1024 * 1024)), envelope(2)),
    /line 2 is longer than 66560 bytes.*--max-message 65536/,
  );
  damagedCase(
    'a 1 MiB torn last line',
    () => `${file(HEADER, envelope(1))}${'y'.repeat(1024 * 1024)}`,
    /line 3 is longer than/,
  );

  hostileCase(tally, 'a sparse 1 GiB file of zero bytes → exit 4 naming line 1, without reading it all', async () => {
    const path = writeJournal('');
    truncateSync(path, 1024 * 1024 * 1024);
    const started = Date.now();
    const result = await serveRefused(path);
    expect(result.code, result.stderr).toBe(4);
    expect(result.stderr).toMatch(/^Error: journal .*: line 1 is longer than 66560 bytes/);
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  hostileCase(
    tally,
    'a 200 KiB line: refused under the default --max-message, taken by a server started with a larger one',
    async () => {
      const path = writeJournal(file(HEADER, envelope(1).replace('m1', 'z'.repeat(200 * 1024))));
      await expect(reopen(path)).rejects.toThrow(/line 2 is longer than .*--max-message 65536/);
      const opened = await reopen(path, 256 * 1024);
      opened.journal.close();
      expect(opened.restored).toBe(1);
    },
  );
});

describe('journal: what a kill leaves, and what a hand leaves', () => {
  hostileCase(
    tally,
    'a torn last line: dropped, cut back, and the next publish follows the last whole line',
    async () => {
      const whole = file(HEADER, envelope(1), envelope(2));
      const path = writeJournal(`${whole}{"seq":3,"t":"1","ch":"a","fr`);
      const first = await reopen(path);
      expect(readFileSync(path, 'utf8')).toBe(whole);
      expect(first.broker.publish({ ch: 'a', from: null, data: 'm3', t: '1' }).seq).toBe(3);
      first.journal.close();
      const second = await reopen(path);
      second.journal.close();
      expect(second.broker.readAfter('a', 0).entries.map((entry) => entry.seq)).toEqual([1, 2, 3]);
    },
  );

  hostileCase(tally, 'a complete last line through the CLI → exit 4 naming it', async () => {
    const result = await serveRefused(writeJournal(file(HEADER, envelope(1), '{"seq":2,"ch":"a"}')));
    expect(result.code, result.stderr).toBe(4);
    expect(result.stderr).toMatch(/^Error: journal .*: line 3 should be an envelope/);
  });

  hostileCase(tally, 'an empty file: a new log', async () => {
    const path = writeJournal('');
    const opened = await reopen(path);
    opened.journal.close();
    expect(readFileSync(path, 'utf8')).toBe(`${JSON.stringify({ epoch: opened.broker.epoch })}\n`);
  });

  damagedCase(
    'a line with spaces added by hand',
    () => file(HEADER, '{"seq": 1,"t":"1","ch":"a","from":null,"data":"m1"}'),
    /line 2 is not written the way the server writes it, which is \{"seq":1,/,
  );
  damagedCase(
    'a line whose string is escaped differently (\\u0068i for hi)',
    () => file(HEADER, envelope(1).replace('"m1"', '"\\u0068i"')),
    /line 2 is not written the way the server writes it/,
  );
  damagedCase(
    'a line with its fields in another order',
    () => file(HEADER, '{"t":"1","seq":1,"ch":"a","from":null,"data":"m1"}'),
    /line 2 is not written the way the server writes it/,
  );
  damagedCase(
    'a line with a repeated field (the last one would win)',
    () => file(HEADER, envelope(1).replace('{"seq":1,', '{"seq":7,"seq":1,')),
    /line 2 is not written the way the server writes it/,
  );
  damagedCase(
    'a line ending in CRLF',
    () => `${HEADER}\n${envelope(1)}\r\n`,
    /line 2 is not written the way the server writes it/,
  );
});
