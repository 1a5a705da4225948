import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { RunResult } from '../../src/document/result.js';
import { runCli, spawnServe } from '../helpers/cli.js';
import { quickStartCommand } from '../helpers/readme.js';
import { validateResult } from '../helpers/result-schema.js';
import { expectModelHolds } from '../helpers/model.js';
import { TRANSPORT_NAMES } from '../../src/transports/registry.js';

const BAD_SCENARIO = fileURLToPath(new URL('../fixtures/scenarios/bad-field.yaml', import.meta.url));
const ALIAS_SCENARIO = fileURLToPath(new URL('../fixtures/scenarios/technique-alias.yaml', import.meta.url));

describe('im-bench run (the real CLI)', () => {
  it("runs the README's first quick run, every technique, and prints a result document that matches the committed schema", async () => {
    const firstRun = quickStartCommand('run', '--clients');
    expect(firstRun).toEqual(['run', '--clients', '20', '--duration', '2s']);
    // As written (its ramp-up and warm-up give short polling's schedule the steady state the model
    // assumes), with the document on stdout.
    const result = await runCli([...firstRun, '--json'], 60_000);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const document = JSON.parse(result.stdout) as RunResult;
    expect(validateResult(document)).toEqual([]);
    expect(document.transports.map((transport) => transport.transport)).toEqual([...TRANSPORT_NAMES]);
    expect(document.scenario).toMatchObject({ name: 'notify', clients: 20, durationMs: 2_000 });
    // Nothing lost; the default wait spins and says so, its spin counted apart from the load.
    for (const t of document.transports)
      expect([t.delivery.lost, t.publisher?.wait, t.generator.spinUtilization! > 0], t.transport).toEqual([
        0,
        'precise',
        true,
      ]);
    // The same run serves the model's checks, with H and E measured in it (test/e2e/model-from-wire.test.ts).
    expectModelHolds(document);
  }, 90_000);

  it('refuses a bad scenario field with exit 2, naming the file and the field', async () => {
    const result = await runCli(['run', '--scenario', BAD_SCENARIO]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(
      new RegExp(`^Error: ${BAD_SCENARIO.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: \\w[\\w-]*: expected `),
    );
    expect(result.stdout).toBe('');
  });

  it('refuses a bad flag with exit 2 and starts nothing', async () => {
    const result = await runCli(['run', '--clients', '-1']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('Error: --clients: expected an integer from 1 to 1000000, got "-1"');
  });

  it('stops before starting anything when the clients would not fit in the open-file limit', async () => {
    const hardLimit = Number(/^Max open files\s+\S+\s+(\d+)/m.exec(readFileSync('/proc/self/limits', 'utf8'))?.[1]);
    const clients = hardLimit + 1;
    const result = await runCli(['run', '--clients', String(clients)]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      `Error: --clients ${clients} needs about ${clients + 64} open files in the reference server, which is one process`,
    );
    expect(result.stderr).toContain(`the hard limit here is ${hardLimit} (ulimit -Hn)`);
    expect(result.stdout).toBe('');
  });
});

describe('im-bench flags and their messages (the real CLI)', () => {
  it('shows in --help the default of every scenario flag, the short forms, and examples', async () => {
    const help = (await runCli(['run', '--help'])).stdout;
    expect(help).toContain('-c, --clients <n>');
    expect(help).toContain('-d, --duration <duration>');
    expect(help).toContain('-o, --out <file>');
    expect(help).toMatch(
      /--poll-interval <duration>\s+short polling: [^\n]*\(default: 1s, unless --scenario sets it\)/,
    );
    expect(help).toMatch(/-c, --clients <n>\s+[^\n]*\(default: 100, unless --scenario sets it\)/);
    expect(help).toContain('Examples:\n  $ im-bench run -c 20 -d 2s');
    for (const command of ['sweep', 'capacity', 'report', 'compare', 'merge', 'serve', 'scenarios'])
      expect((await runCli([command, '--help'])).stdout, command).toContain(`Examples:\n  $ im-bench ${command}`);
  });

  it('prints the errors the flag parser finds with the prefix of its own, exit 2', async () => {
    for (const [args, message] of [
      [['run', '--clients'], "Error: option '-c, --clients <n>' argument missing"],
      [['frobnicate'], "Error: unknown command 'frobnicate'"],
      [['report'], "Error: missing required argument 'file'"],
    ] as const) {
      const result = await runCli([...args]);
      expect(result.code).toBe(2);
      expect(result.stderr.split('\n')[0]).toBe(message);
    }
  });

  it('says what a wrong technique, scenario or bare duration most likely meant, exit 2', async () => {
    const cases: Array<[string[], string]> = [
      [['--transport', 'sse,ws'], 'got "sse,ws"; did you mean websocket?'],
      [['--scenario', 'notfy'], 'unknown scenario "notfy" (did you mean notify?)'],
      [['--duration', '5'], '(5 has no unit: write 5ms, 5s or 5m), got "5"'],
      [['--scenario', ALIAS_SCENARIO], 'technique-alias.yaml: transport: expected all, or a comma-separated list of'],
      [['--scenario', ALIAS_SCENARIO], 'got ["sse","ws"]; did you mean websocket?'],
    ];
    for (const [flags, message] of cases) {
      const result = await runCli(['run', ...flags]);
      expect([result.code, result.stdout], result.stderr).toEqual([2, '']);
      expect(result.stderr).toContain(message);
    }
  });
});

describe('im-bench run --target (the real CLI)', () => {
  it('drives a server it did not start (--target), twice, counting only what each run published', async () => {
    const serve = await spawnServe();
    const target = serve.url.replace('127.0.0.1', 'localhost');
    for (let round = 0; round < 2; round++) {
      const result = await runCli(
        [
          'run',
          '--target',
          target,
          '--transport',
          'sse,websocket',
          '--clients',
          '5',
          '--duration',
          '1s',
          '--warmup',
          '200ms',
          '--rate',
          '10',
          '--json',
          '--quiet',
        ],
        30_000,
      );
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      const document = JSON.parse(result.stdout) as RunResult;
      expect(validateResult(document)).toEqual([]);
      // The name was resolved and checked once; the run loads (and names) the checked address.
      expect(document.environment.target).toBe(new URL(serve.url).origin);
      for (const transport of document.transports) {
        expect(transport.delivery.lost, transport.transport).toBe(0);
        expect(transport.delivery.expected, transport.transport).toBe(transport.published.total * 5);
        expect(transport.server.peakRssBytes, transport.transport).toBeGreaterThan(0);
      }
    }
  }, 60_000);

  it('refuses a --target that is not on this machine unless --allow-remote, judged on the resolved address', async () => {
    const remote = await runCli(['run', '--target', 'http://10.1.2.3:8080']);
    expect(remote.code).toBe(2);
    expect(remote.stderr).toContain(
      'Error: --target: expected a loopback address, or --allow-remote to load another machine (it resolves to 10.1.2.3)',
    );
    const loopback = await runCli(['run', '--target', 'http://127.9.9.9:1', '--clients', '1', '--duration', '200ms']);
    expect(loopback.stderr).not.toContain('loopback address');
    expect(loopback.stderr).toContain('Error: cannot read http://127.9.9.9:1/stats (connect ECONNREFUSED 127.9.9.9:1)');
    expect(loopback.code).toBe(4);
  });
});

describe('im-bench run --publish-wait', () => {
  it('takes precise or coarse, and refuses anything else with exit 2', async () => {
    const wait = await runCli(['run', '--publish-wait', 'busy']);
    expect(wait.code).toBe(2);
    expect(wait.stderr).toContain("'busy' is invalid. Allowed choices are precise, coarse.");
  });

  it('waits with the timer alone on --publish-wait coarse, and records it', async () => {
    const args = ['run', '--transport', 'websocket', '--clients', '2', '--duration', '1s', '--warmup', '0s'];
    const result = await runCli([...args, '--publish-wait', 'coarse', '--json'], 30_000);
    expect(result.code).toBe(0);
    const [websocket] = (JSON.parse(result.stdout) as RunResult).transports;
    expect(websocket!.publisher?.wait).toBe('coarse');
    expect(websocket!.publisher?.lateness.count).toBeGreaterThan(0);
    expect(websocket!.generator.spinUtilization).toBe(0);
  }, 40_000);
});
