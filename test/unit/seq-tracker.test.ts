import { describe, expect, it } from 'vitest';
import { SeqTracker } from '../../src/harness/generator/seq-tracker.js';

describe('SeqTracker', () => {
  it('counts in-order arrivals as unique and nothing lost', () => {
    const tracker = new SeqTracker();
    for (let seq = 1; seq <= 5; seq++) expect(tracker.accept(seq)).toBe(true);
    expect([tracker.unique, tracker.duplicated, tracker.outOfOrder, tracker.lost(5)]).toEqual([5, 0, 0, 0]);
    expect(tracker.caughtUp(5)).toBe(true);
    expect(tracker.caughtUp(6)).toBe(false);
  });

  it('tells late arrivals from duplicates', () => {
    const tracker = new SeqTracker();
    tracker.accept(1);
    tracker.accept(4);
    expect(tracker.caughtUp(4)).toBe(false);
    expect(tracker.accept(2)).toBe(true);
    expect(tracker.accept(2)).toBe(false);
    expect(tracker.accept(4)).toBe(false);
    expect([tracker.unique, tracker.outOfOrder, tracker.duplicated, tracker.lost(4)]).toEqual([3, 1, 2, 1]);
  });

  it('counts a gap marker as lost, not as something still to wait for', () => {
    const tracker = new SeqTracker();
    tracker.gap(1, 7);
    tracker.accept(8);
    expect(tracker.caughtUp(8)).toBe(true);
    expect(tracker.gapReported).toBe(7);
    expect(tracker.lost(8)).toBe(7);
  });

  it('does not try to remember every number of a huge jump', () => {
    const tracker = new SeqTracker();
    const started = performance.now();
    tracker.accept(1_700_000_000_000);
    expect(performance.now() - started).toBeLessThan(100);
    expect(tracker.caughtUp(1_700_000_000_000)).toBe(true);
  });
});
