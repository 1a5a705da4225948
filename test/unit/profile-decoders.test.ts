import { describe, expect, it } from 'vitest';
import { multipartBoundary, multipartParts } from '../../src/transports/shared/multipart-mixed.js';
import { nchanMetaFrame } from '../../src/transports/shared/nchan-frame.js';

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
  it('reads the id and the body, with or without a content type', () => {
    expect(nchanMetaFrame('id: 1795319042:0\n\n{"seq":1}')).toEqual({
      id: '1795319042:0',
      body: '{"seq":1}',
      metaLength: 18,
    });
    expect(nchanMetaFrame('id: 1795319042:3\ncontent-type: application/json\n\n{"a":"\\n\\n"}')).toEqual({
      id: '1795319042:3',
      body: '{"a":"\\n\\n"}',
      metaLength: 49,
    });
  });

  it('takes the id line in any case and spacing, wherever it is among the meta lines', () => {
    expect(nchanMetaFrame('content-type: a/b\nID:7:1\n\nx')).toMatchObject({ id: '7:1', body: 'x' });
    expect(nchanMetaFrame(' Id : 7:2 \n\nx')).toMatchObject({ id: '7:2', body: 'x' });
    expect(nchanMetaFrame('idx: 7:3\n\nx')).toBeNull();
  });

  it('refuses a frame without an id or without the blank line', () => {
    expect(nchanMetaFrame('{"seq":1}')).toBeNull();
    expect(nchanMetaFrame('content-type: x\n\n{"seq":1}')).toBeNull();
    expect(nchanMetaFrame('id: 1:0\n{"seq":1}')).toBeNull();
  });
});
