import { describe, expect, it } from 'vitest';
import {
  calibrationFromFlags,
  parseCalibrateCpu,
  parseCalibrateCpuList,
  parseCalibrateDelay,
} from '../../src/cli/calibration-options.js';
import { ImBenchError } from '../../src/core/errors.js';
import { parseDurationMicros } from '../../src/scenario/duration.js';

function refusal(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ImBenchError);
    expect((error as ImBenchError).code).toBe('IMB_ERR_INVALID_OPTION');
    return (error as Error).message;
  }
  throw new Error('expected a refusal');
}

describe('calibration flags', () => {
  it('reads microseconds in the duration grammar, us or µs beside ms and s (a bare number only when 0)', () => {
    expect(['3us', '2.5us', '2.5µs', '0.2ms', '1ms', '1s', '.5us', '0'].map(parseDurationMicros)).toEqual([
      3, 2.5, 2.5, 200, 1_000, 1_000_000, 0.5, 0,
    ]);
    expect(['', 'fast', '-1us', '3 us', '1m', '3ns', '3'].map(parseDurationMicros)).toEqual(Array(7).fill(undefined));
  });

  it('--calibrate-delay: whole milliseconds up to a minute', () => {
    expect([parseCalibrateDelay('40ms'), parseCalibrateDelay('1.5s'), parseCalibrateDelay('0')]).toEqual([
      40, 1_500, 0,
    ]);
    expect(refusal(() => parseCalibrateDelay('2m'))).toContain('--calibrate-delay: expected a duration from 0 to 1m');
    expect(refusal(() => parseCalibrateDelay('soon'))).toContain('got "soon"');
  });

  it('serve --calibrate-cpu: one duration', () => {
    expect(parseCalibrateCpu('2.5us')).toBe(2.5);
    expect(refusal(() => parseCalibrateCpu('sse=3us'))).toContain('--calibrate-cpu: expected a duration such as 3us');
    expect(refusal(() => parseCalibrateCpu('2s'))).toContain('up to 1s');
  });

  it('run --calibrate-cpu: a bare duration for all, or per technique with 0 for those not listed', () => {
    expect(parseCalibrateCpuList('3us', ['sse', 'websocket'])).toEqual({ sse: 3, websocket: 3 });
    expect(parseCalibrateCpuList('sse=3us, long-polling=0.1ms', ['sse', 'websocket', 'long-polling'])).toEqual({
      sse: 3,
      websocket: 0,
      'long-polling': 100,
    });
    // A technique the run leaves out is accepted and ignored: one spec can serve runs of any subset.
    expect(parseCalibrateCpuList('sse=3us,websocket=2us', ['websocket'])).toEqual({ websocket: 2 });
    for (const bad of ['sse=fast', 'pigeon=3us', 'sse=3us,2us', 'sse=', '', 'sse=3us,', 'sse=3us=4us'])
      expect(
        refusal(() => parseCalibrateCpuList(bad, ['sse'])),
        bad,
      ).toContain('--calibrate-cpu: expected [TECHNIQUE=]');
    // A bare number is told its unit, as every other duration is.
    expect(refusal(() => parseCalibrateCpuList('3', ['sse']))).toContain('(3 has no unit: write 3us, 3ms or 3s)');
    expect(refusal(() => parseCalibrateCpuList('sse=15', ['sse']))).toContain(
      '(15 has no unit: write 15us, 15ms or 15s)',
    );
  });

  it('records nothing unless something slows the servers, and refuses a --target', () => {
    expect(calibrationFromFlags({}, ['sse'])).toBeUndefined();
    expect(calibrationFromFlags({ calibrateDelay: '0', calibrateCpu: '0' }, ['sse'])).toBeUndefined();
    expect(calibrationFromFlags({ calibrateDelay: '20ms' }, ['sse', 'websocket'])).toEqual({
      delayMs: 20,
      cpuMicrosPerCopy: { sse: 0, websocket: 0 },
    });
    expect(calibrationFromFlags({ calibrateCpu: 'sse=3us' }, ['sse', 'websocket'])).toEqual({
      delayMs: 0,
      cpuMicrosPerCopy: { sse: 3, websocket: 0 },
    });
    expect(
      refusal(() => calibrationFromFlags({ calibrateCpu: '3us', target: 'http://127.0.0.1:1' }, ['sse'])),
    ).toContain('--calibrate-cpu: expected no --target with it');
  });
});
