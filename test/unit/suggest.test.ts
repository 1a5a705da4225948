import { describe, expect, it } from 'vitest';
import { closest } from '../../src/core/suggest.js';

const FIELDS = ['clients', 'duration', 'poll-interval', 'long-poll-timeout', 'ramp-up'];

describe('closest (did you mean)', () => {
  it('finds a name written in another case or spelling of its separators', () => {
    expect(closest('pollInterval', FIELDS)).toBe('poll-interval');
    expect(closest('LONG_POLL_TIMEOUT', FIELDS)).toBe('long-poll-timeout');
    expect(closest('ramp up', FIELDS)).toBe('ramp-up');
  });

  it('finds a typo within a third of the name, and nothing further', () => {
    expect(closest('durtion', FIELDS)).toBe('duration');
    expect(closest('client', FIELDS)).toBe('clients');
    expect(closest('colour', FIELDS)).toBeUndefined();
    expect(closest('', FIELDS)).toBeUndefined();
    expect(closest('k'.repeat(100_000), FIELDS)).toBeUndefined();
  });

  it('takes an alias first, where no edit distance would lead', () => {
    const aliases = new Map([['ws', 'websocket']]);
    expect(closest('ws', ['sse', 'websocket'], aliases)).toBe('websocket');
    expect(closest('WS', ['sse', 'websocket'], aliases)).toBe('websocket');
    expect(closest('ws', ['sse', 'websocket'])).toBeUndefined();
    // An alias for a candidate not on offer suggests nothing.
    expect(closest('ws', ['sse'], aliases)).toBeUndefined();
  });
});
