import { describe, expect, it } from 'vitest';
import { multipartBoundary, multipartParts } from '../../src/transports/shared/multipart-mixed.js';
import { NchanFrameReader } from '../../src/transports/shared/nchan-frame.js';

describe('multipart/mixed bodies (nchan multipart long-poll)', () => {
  const boundary = 'a'.repeat(32);

  it('splits parts with and without headers, the last delimiter closing', () => {
    const body = `--${boundary}\r\nContent-Type: application/json\r\n\r\n{"seq":1}\r\n--${boundary}\r\n\r\n{"seq":2}\r\n--${boundary}--\r\n`;
    expect(multipartParts(body, boundary)).toEqual(['{"seq":1}', '{"seq":2}']);
  });

  it('keeps line breaks inside a part and a body that mentions the boundary without its line break', () => {
    const body = `--${boundary}\r\n\r\nline one\r\nline two --${boundary}\r\n--${boundary}--`;
    expect(multipartParts(body, boundary)).toEqual([`line one\r\nline two --${boundary}`]);
  });

  it('refuses what is not such a body: no opening delimiter, no closing one, a part without its blank line', () => {
    expect(multipartParts('{"seq":1}', boundary)).toBeNull();
    expect(multipartParts(`--${boundary}\r\n\r\n{"seq":1}`, boundary)).toBeNull();
    expect(multipartParts(`--${boundary}\r\nContent-Type: x\r\n{"seq":1}\r\n--${boundary}--`, boundary)).toBeNull();
  });

  it('reads the boundary of a multipart/mixed content type only', () => {
    expect(multipartBoundary(`multipart/mixed; boundary=${boundary}`)).toBe(boundary);
    expect(multipartBoundary('Multipart/Mixed; charset=utf-8; boundary="x y"')).toBe('x y');
    expect(multipartBoundary('application/json')).toBeNull();
    expect(multipartBoundary('multipart/mixed')).toBeNull();
    expect(multipartBoundary(undefined)).toBeNull();
  });
});

describe('ws+meta.nchan frames', () => {
  /** The id and body a fresh reader takes from `frame`, or null when it refuses the frame. */
  function read(frame: string, reader = new NchanFrameReader()): { id: string; body: string } | null {
    const bytes = Buffer.from(frame);
    return reader.read(bytes) ? { id: reader.id, body: bytes.toString('utf8', reader.bodyStart) } : null;
  }

  it('reads the id and the body, with or without a content type', () => {
    expect(read('id: 1795319042:0\n\n{"seq":1}')).toEqual({ id: '1795319042:0', body: '{"seq":1}' });
    expect(read('id: 1795319042:3\ncontent-type: application/json\n\n{"a":"\\n\\n"}')).toEqual({
      id: '1795319042:3',
      body: '{"a":"\\n\\n"}',
    });
  });

  it('takes the id line in any case and spacing, wherever it is among the meta lines', () => {
    expect(read('content-type: a/b\nID:7:1\n\nx')).toEqual({ id: '7:1', body: 'x' });
    expect(read(' Id : 7:2 \n\nx')).toEqual({ id: '7:2', body: 'x' });
    expect(read('idx: 7:3\n\nx')).toBeNull();
  });

  it('gives back an id of any other form exactly as sent', () => {
    expect(read('id: 1795319042:[0],1795319043:[2]\n\nx')?.id).toBe('1795319042:[0],1795319043:[2]');
    expect(read('id: 007:01\n\nx')?.id).toBe('007:01');
    expect(read('id: 12345678901234567:1\n\nx')?.id).toBe('12345678901234567:1');
    expect(read('id: abc\n\nx')?.id).toBe('abc');
    // The meta lines are read on the frame's bytes; a body of multi-byte characters starts where they end.
    expect(read('id: 9:1\n\n{"data":"é€𝄞"}')).toEqual({ id: '9:1', body: '{"data":"é€𝄞"}' });
  });

  it('refuses a frame without an id or without the blank line, and keeps the last good id', () => {
    const reader = new NchanFrameReader();
    expect(read('id: 5:4\n\n{"seq":1}', reader)?.id).toBe('5:4');
    expect(read('{"seq":1}', reader)).toBeNull();
    expect(read('content-type: x\n\n{"seq":1}', reader)).toBeNull();
    expect(read('id: 1:0\n{"seq":1}', reader)).toBeNull();
    expect(read('id:  \n\nx', reader)).toBeNull();
    expect(read('id: 6:0\nno colon\n\nx', reader)).toBeNull();
    expect(reader.id).toBe('5:4');
    expect(read('id: abc\n\nx', reader)?.id).toBe('abc');
    expect(read('id: 6:1\n\nx', reader)?.id).toBe('6:1');
  });
});
