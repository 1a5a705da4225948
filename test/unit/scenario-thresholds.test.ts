import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RunFlags } from '../../src/cli/flags.js';
import { runOptionsFromFlags, sweepOptionsFromFlags } from '../../src/cli/options.js';
import { loadScenarioWithSources } from '../../src/scenario/loader.js';
import { TRANSPORT_NAMES } from '../../src/transports/registry.js';
import { temporaryFolder } from '../helpers/cleanup.js';

const FLAGS: RunFlags = {
  repeat: '1',
  pin: 'auto',
  publishWait: 'precise',
  workers: 'auto',
  localAddress: 'auto',
};

function scenarioFile(yaml: string): string {
  const path = join(temporaryFolder('im-bench-thresholds-'), 'gate.yaml');
  writeFileSync(path, yaml);
  return path;
}

const GATE = 'transport: sse,websocket\nthresholds:\n  - lost==0\n  - sse:p99 < 50ms\n';

describe("a scenario file's thresholds", () => {
  it('are read as written, apart from the scenario, and are absent without the field', async () => {
    const loaded = await loadScenarioWithSources(scenarioFile(GATE), {}, TRANSPORT_NAMES);
    expect(loaded.thresholds).toEqual(['lost==0', 'sse:p99 < 50ms']);
    expect(loaded.scenario).not.toHaveProperty('thresholds');
    const plain = await loadScenarioWithSources(scenarioFile('clients: 3\n'), {}, TRANSPORT_NAMES);
    expect(plain.thresholds).toBeUndefined();
  });

  it.each([
    [
      'thresholds: p99<50ms\n',
      'thresholds: expected a list of at most 100 expressions such as [p99<50ms, lost==0], got "p99<50ms"',
    ],
    [
      'thresholds:\n  - lost==0\n  - 50\n',
      'thresholds[1]: expected an expression such as p99<50ms (a single line of text), got 50',
    ],
    [
      'thresholds:\n  - p99: <50ms\n',
      'thresholds[0]: expected an expression such as p99<50ms (a single line of text), got {"p99":"<50ms"}',
    ],
    ['thresholds:\n  - ""\n', 'thresholds[0]: expected an expression such as p99<50ms (a single line of text), got ""'],
  ])('refuse %j, naming the file, the field and the item', async (yaml, detail) => {
    const path = scenarioFile(yaml);
    await expect(loadScenarioWithSources(path, {}, TRANSPORT_NAMES)).rejects.toMatchObject({
      code: 'IMB_ERR_INVALID_SCENARIO',
      message: `${path}: ${detail}`,
    });
  });
});

describe('run: thresholds from the file or the flags', () => {
  it("judges the file's, marked as such", async () => {
    const options = await runOptionsFromFlags({ ...FLAGS, scenario: scenarioFile(GATE) });
    expect(options.thresholds.map((t) => [t.expression, t.transport, t.limit, t.source])).toEqual([
      ['lost==0', null, 0, 'scenario'],
      ['sse:p99 < 50ms', 'sse', 50, 'scenario'],
    ]);
    expect(options.notices).toEqual([]);
  });

  it("replaces the file's with every --threshold given, as any flag replaces its field", async () => {
    const options = await runOptionsFromFlags({
      ...FLAGS,
      scenario: scenarioFile(GATE),
      threshold: ['p99<1s', 'websocket:bytes_per_msg<=1KiB'],
    });
    expect(options.thresholds.map((t) => [t.expression, t.limit, t.source])).toEqual([
      ['p99<1s', 1000, 'flag'],
      ['websocket:bytes_per_msg<=1KiB', 1024, 'flag'],
    ]);
  });

  it('has none without either', async () => {
    expect((await runOptionsFromFlags(FLAGS)).thresholds).toEqual([]);
  });

  it('refuses a bad expression in the file, naming the file, the item and the part', async () => {
    const path = scenarioFile('thresholds:\n  - lost==0\n  - p99<50xs\n');
    await expect(runOptionsFromFlags({ ...FLAGS, scenario: path })).rejects.toMatchObject({
      code: 'IMB_ERR_INVALID_SCENARIO',
      message: `${path}: thresholds[1]: "p99<50xs": unit "xs" — p99 is a time, use us, ms or s (a bare number is ms)`,
    });
  });

  it('refuses a technique the run does not include, saying where the run’s techniques came from', async () => {
    const path = scenarioFile('transport: sse\nthresholds: [websocket:lost==0]\n');
    await expect(runOptionsFromFlags({ ...FLAGS, scenario: path })).rejects.toMatchObject({
      code: 'IMB_ERR_INVALID_SCENARIO',
      message: `${path}: thresholds[0]: "websocket:lost==0": technique "websocket" is not in this run: transport sse (from ${path})`,
    });
    await expect(
      runOptionsFromFlags({ ...FLAGS, transport: 'sse', threshold: ['websocket:p99<10ms'] }),
    ).rejects.toMatchObject({
      code: 'IMB_ERR_INVALID_OPTION',
      message:
        '--threshold \'websocket:p99<10ms\': technique "websocket" is not in this run: transport sse (from --transport)',
    });
  });

  it("refuses --threshold on a shard, and leaves a file's unjudged there, saying so", async () => {
    const shard = { ...FLAGS, target: 'http://127.0.0.1:9', shard: '0/2' };
    await expect(runOptionsFromFlags({ ...shard, threshold: ['lost==0'] })).rejects.toMatchObject({
      code: 'IMB_ERR_INVALID_OPTION',
      message: '--threshold: not with --shard: a shard measures a slice of the clients, not the run a threshold judges',
    });
    const path = scenarioFile(GATE);
    const options = await runOptionsFromFlags({ ...shard, scenario: path });
    expect(options.thresholds).toEqual([]);
    expect(options.notices).toEqual([`${path}: thresholds: 2 left unjudged: a shard measures a slice of the clients`]);
  });
});

describe('sweep and thresholds', () => {
  it("leaves a file's thresholds unjudged, saying so", async () => {
    const path = scenarioFile(GATE);
    const options = await sweepOptionsFromFlags({ ...FLAGS, scenario: path, clients: '1,2' });
    expect(options.thresholds).toEqual([]);
    expect(options.notices).toEqual([`${path}: thresholds: 2 left unjudged: sweep judges none; im-bench run does`]);
  });
});
