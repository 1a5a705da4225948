import { describe, expect, it } from 'vitest';
import { ClientMeter } from '../../src/transports/shared/client-meter.js';
import { CursorTracker } from '../../src/transports/shared/cursor-tracker.js';
import { Collector } from '../helpers/collector.js';

describe('CursorTracker', () => {
  it('hands envelopes and gaps over in order and keeps the highest seq as cursor', () => {
    const collector = new Collector();
    const tracker = new CursorTracker(0, collector, new ClientMeter());
    const answer = [{ gap: { from: 1, to: 4 } }, { seq: 5, t: '1', ch: 'default', from: null, data: 'a' }];
    tracker.batch(answer, Buffer.from(JSON.stringify(answer)));
    expect(tracker.cursor).toBe(5);
    tracker.message({ seq: 3, t: '1', ch: 'default', from: null, data: 'old' }, 60);
    expect(tracker.cursor).toBe(5);
    expect(collector.gaps).toEqual([{ from: 1, to: 4 }]);
    expect(collector.seqs()).toEqual([5, 3]);
  });

  it('moves the cursor past a gap even when no envelope follows', () => {
    const tracker = new CursorTracker(2, new Collector(), new ClientMeter());
    tracker.gap({ from: 3, to: 9 });
    expect(tracker.cursor).toBe(9);
  });

  it('reports anything else as an error instead of throwing', () => {
    const collector = new Collector();
    const tracker = new CursorTracker(0, collector, new ClientMeter());
    tracker.batch({ not: 'an array' }, Buffer.from('{"not":"an array"}'));
    tracker.message(null, 4);
    tracker.message({ type: 'error', error: { code: 'bad_json' } }, 40);
    expect(collector.errors).toHaveLength(3);
    expect(tracker.cursor).toBe(0);
  });

  it('counts each envelope at the size it came in, markers and what lies around the items not at all', () => {
    const meter = new ClientMeter();
    const tracker = new CursorTracker(0, new Collector(), meter);
    const envelope = '{"seq":1,"t":"1","ch":"default","from":null,"data":"a"}';
    tracker.batch(
      JSON.parse(`[{"gap":{"from":0,"to":0}}, ${envelope}  ]`),
      Buffer.from(`[{"gap":{"from":0,"to":0}}, ${envelope}  ]`),
    );
    tracker.message({ seq: 2, t: '1', ch: 'default', from: null, data: 'b' }, 57);
    tracker.message({ reset: { epoch: 'e' } }, 23);
    expect(meter).toMatchObject({ envelopes: 2, envelopeBytes: envelope.length + 57 });
  });
});
