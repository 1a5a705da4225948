import { describe, expect, it } from 'vitest';
import type { RunResult } from '../../src/document/result.js';
import { runCli } from '../helpers/cli.js';
import { validateResult } from '../helpers/result-schema.js';

describe('im-bench run --calibrate-* (the real CLI)', () => {
  it('starts a server that holds every publish, and records it in the document', async () => {
    const args = ['run', '--transport', 'websocket', '--clients', '3', '--duration', '1s', '--calibrate-delay', '20ms'];
    const result = await runCli([...args, '--json'], 30_000);
    expect(result.code).toBe(0);
    const document = JSON.parse(result.stdout) as RunResult;
    expect(validateResult(document)).toEqual([]);
    expect(document.calibration).toEqual({ delayMs: 20, cpuMicrosPerCopy: { websocket: 0 } });
    const [websocket] = document.transports;
    expect(websocket!.latency.count).toBeGreaterThan(0);
    expect(websocket!.latency.p50).toBeGreaterThanOrEqual(20);
  }, 40_000);

  it.each([
    [
      ['--calibrate-delay', '20ms', '--target', 'http://127.0.0.1:9'],
      '--calibrate-delay: expected no --target with it',
    ],
    [['--calibrate-cpu', '3us', '--target', 'http://127.0.0.1:9'], '--calibrate-cpu: expected no --target with it'],
    [['--calibrate-cpu', 'sse=fast'], '--calibrate-cpu: expected [TECHNIQUE=]DURATION'],
    [['--calibrate-delay', 'soon'], '--calibrate-delay: expected a duration'],
  ])('refuses %j with exit 2 naming the flag, before starting anything', async (flags, message) => {
    const result = await runCli(['run', '--transport', 'sse', ...flags]);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain(`Error: ${message}`);
  });
});
