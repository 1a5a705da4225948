import { describe, expect, it } from 'vitest';
import { chunk, unchunk } from '../../src/transports/shared/chunked-stream.js';

describe('SSE frames as HTTP/1.1 chunks', () => {
  it('prefixes the size in hex and ends with CRLF', () => {
    expect(chunk(Buffer.from('hello')).toString('latin1')).toBe('5\r\nhello\r\n');
    const long = Buffer.alloc(300, 'x');
    expect(chunk(long).toString('latin1')).toBe(`12c\r\n${'x'.repeat(300)}\r\n`);
  });

  it('refuses empty data, which would read as the end of the body', () => {
    expect(() => chunk(Buffer.alloc(0))).toThrow(RangeError);
  });

  it('takes several chunks written together back apart, CRLFs inside the data included', () => {
    const parts = ['id: 1\ndata: {"a":1}\n\n', 'x\r\n0\r\n\r\n', 'é'.repeat(200)].map((text) => Buffer.from(text));
    const together = Buffer.concat(parts.map(chunk));
    expect(unchunk(together).map((part) => part.toString())).toEqual(parts.map((part) => part.toString()));
  });
});
