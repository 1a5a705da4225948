import { describe, expect, it } from 'vitest';
import { HttpError } from '../../src/broker/http-util.js';
import { parsePublishInput } from '../../src/broker/publish.js';
import { channelFromQuery, parseSeq, sinceFromQuery, timeoutFromQuery } from '../../src/broker/request-params.js';

const query = (text: string): URLSearchParams => new URLSearchParams(text);

function refusal(action: () => unknown): HttpError {
  try {
    action();
  } catch (error) {
    if (error instanceof HttpError) return error;
    throw error;
  }
  throw new Error('expected an HttpError');
}

describe('request parameters', () => {
  it('reads since as a non-negative safe integer, 0 when absent', () => {
    expect(sinceFromQuery(query(''))).toBe(0);
    expect(sinceFromQuery(query('since=0'))).toBe(0);
    expect(sinceFromQuery(query('since=42'))).toBe(42);
    expect(sinceFromQuery(query('since=9007199254740991'))).toBe(Number.MAX_SAFE_INTEGER);
  });

  it.each(['-1', '1.5', '1e3', ' 1', '0x10', '', 'abc', '9007199254740992', '99999999999999999999'])(
    'refuses since=%j',
    (value) => {
      const error = refusal(() => parseSeq(value, 'since'));
      expect(error.status).toBe(400);
      expect(error.code).toBe('bad_since');
      expect(error.message).toContain(JSON.stringify(value));
    },
  );

  it('refuses a repeated parameter', () => {
    expect(refusal(() => sinceFromQuery(query('since=1&since=1'))).message).toContain('at most once');
  });

  it('defaults the channel and checks its name', () => {
    expect(channelFromQuery(query(''))).toBe('default');
    expect(channelFromQuery(query('ch=room-1.a:b_c'))).toBe('room-1.a:b_c');
    expect(refusal(() => channelFromQuery(query(`ch=${'x'.repeat(65)}`))).code).toBe('bad_ch');
    expect(refusal(() => channelFromQuery(query('ch='))).code).toBe('bad_ch');
  });

  it('bounds the long-poll timeout', () => {
    expect(timeoutFromQuery(query(''), 25_000)).toBe(25_000);
    expect(timeoutFromQuery(query('timeout=0'), 25_000)).toBe(0);
    expect(timeoutFromQuery(query('timeout=120000'), 25_000)).toBe(120_000);
    expect(refusal(() => timeoutFromQuery(query('timeout=120001'), 25_000)).code).toBe('bad_timeout');
  });
});

describe('publish input', () => {
  it('fills the defaults: channel, sender, and the receive time when no t is given', () => {
    const before = process.hrtime.bigint();
    const input = parsePublishInput({ data: 'x' });
    expect(input).toMatchObject({ ch: 'default', from: null, data: 'x' });
    expect(BigInt(input.t)).toBeGreaterThanOrEqual(before);
  });

  it('keeps the publisher’s own fields', () => {
    expect(parsePublishInput({ ch: 'room', from: 'c1', data: '', t: '123' })).toEqual({
      ch: 'room',
      from: 'c1',
      data: '',
      t: '123',
    });
  });
});
