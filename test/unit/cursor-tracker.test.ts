import { describe, expect, it } from 'vitest';
import { CursorTracker } from '../../src/transports/shared/cursor-tracker.js';
import { Collector } from '../helpers/collector.js';

describe('CursorTracker', () => {
  it('hands envelopes and gaps over in order and keeps the highest seq as cursor', () => {
    const collector = new Collector();
    const tracker = new CursorTracker(0, collector);
    tracker.batch([{ gap: { from: 1, to: 4 } }, { seq: 5, t: '1', ch: 'default', from: null, data: 'a' }]);
    expect(tracker.cursor).toBe(5);
    tracker.message({ seq: 3, t: '1', ch: 'default', from: null, data: 'old' });
    expect(tracker.cursor).toBe(5);
    expect(collector.gaps).toEqual([{ from: 1, to: 4 }]);
    expect(collector.seqs()).toEqual([5, 3]);
  });

  it('moves the cursor past a gap even when no envelope follows', () => {
    const tracker = new CursorTracker(2, new Collector());
    tracker.gap({ from: 3, to: 9 });
    expect(tracker.cursor).toBe(9);
  });

  it('reports anything else as an error instead of throwing', () => {
    const collector = new Collector();
    const tracker = new CursorTracker(0, collector);
    tracker.batch({ not: 'an array' });
    tracker.message(null);
    tracker.message({ type: 'error', error: { code: 'bad_json' } });
    expect(collector.errors).toHaveLength(3);
    expect(tracker.cursor).toBe(0);
  });
});
