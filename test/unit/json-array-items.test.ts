import { describe, expect, it } from 'vitest';
import { jsonArrayItemLengths } from '../../src/transports/shared/json-array-items.js';

const lengths = (text: string): number[] => jsonArrayItemLengths(Buffer.from(text, 'utf8'));
const bytes = (text: string): number => Buffer.byteLength(text, 'utf8');

describe('the items of a poll answer, measured on its raw bytes', () => {
  const first = '{"seq":1,"t":"1","ch":"default","from":null,"data":"a"}';
  const second = '{"seq":2,"t":"2","ch":"default","from":"c1","data":"b"}';

  it("gives each item's bytes in order, without the brackets and the comma between them", () => {
    expect(lengths(`[${first},${second}]`)).toEqual([bytes(first), bytes(second)]);
    expect(lengths('[]')).toEqual([]);
    expect(lengths(`[${first}]`)).toEqual([bytes(first)]);
  });

  it('leaves the whitespace between items (padding, indentation) out of every item', () => {
    expect(lengths(`[\n  ${first} ,\r\n\t${second}\n]\n`)).toEqual([bytes(first), bytes(second)]);
    expect(lengths(`  [${' '.repeat(64)}${first}${' '.repeat(64)}]`)).toEqual([bytes(first)]);
  });

  it('keeps whitespace inside an item, and is not misled by brackets, commas or quotes in strings', () => {
    const tricky = '{ "seq": 3, "data": "a ], [ \\"} {,", "nested": [1, {"x": [2]}] }';
    expect(JSON.parse(`[${tricky}]`)).toHaveLength(1);
    expect(lengths(`[${tricky}, ${first}]`)).toEqual([bytes(tricky), bytes(first)]);
  });

  it('measures markers, strings, numbers and literals as items too, and multi-byte characters in bytes', () => {
    const gap = '{"gap":{"from":1,"to":4}}';
    const text = '"é → ✓"';
    expect(lengths(`[${gap},${text},42,-1.5e3,null,true]`)).toEqual([bytes(gap), bytes(text), 2, 6, 4, 4]);
  });

  it('skips a byte-order mark before the array', () => {
    expect(jsonArrayItemLengths(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(`[${first}]`)]))).toEqual([
      bytes(first),
    ]);
  });
});
