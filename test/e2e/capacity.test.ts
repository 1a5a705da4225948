import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { measureCapacity } from '../../src/harness/capacity/capacity.js';
import { run } from '../../src/harness/run/run.js';
import { loadScenario } from '../../src/scenario/loader.js';
import type { CapacityResult } from '../../src/document/capacity.js';
import type { RunResult } from '../../src/document/result.js';
import { defer } from '../helpers/cleanup.js';
import { CLI, runCli } from '../helpers/cli.js';
import { isRunning, nodeChildrenOf, serverChildOf, waitForStats } from '../helpers/processes.js';
import { validateCapacity, validateResult } from '../helpers/result-schema.js';
import { waitFor } from '../helpers/wait.js';
import { TRANSPORT_NAMES } from '../../src/transports/registry.js';

const CAPACITY_FIXTURE = fileURLToPath(new URL('../fixtures/capacity-small.json', import.meta.url));

function temporaryFolder(): string {
  const folder = mkdtempSync(join(tmpdir(), 'im-bench-capacity-'));
  defer(() => rmSync(folder, { recursive: true, force: true }));
  return folder;
}

describe('measureCapacity (the library, real server and autocannon)', () => {
  it('returns a positive ceiling for both polling techniques and leaves no server behind', async () => {
    const servers = new Set<number>();
    const result = await measureCapacity({
      transports: ['short-polling', 'long-polling'],
      connections: 10,
      durationMs: 1_000,
      warmupMs: 0,
      onProgress: () => {
        for (const pid of nodeChildrenOf(process.pid)) servers.add(pid);
      },
    });
    expect(validateCapacity(result)).toEqual([]);
    expect(result.aborted).toBe(false);
    expect(result.techniques.map((m) => [m.transport, m.answer.status, m.answer.messages])).toEqual([
      ['short-polling', 204, 0],
      ['long-polling', 200, 1],
    ]);
    for (const m of result.techniques) {
      expect(m.requests.perSecond, m.transport).toBeGreaterThan(0);
      expect(m.requests.perSecond, m.transport).toBeCloseTo(m.requests.total / m.durationSeconds, 6);
      expect(m.requests.errors + m.requests.non2xx, m.transport).toBe(0);
      expect(m.latency.count, m.transport).toBeGreaterThan(0);
      expect(m.server.cpuSeconds, m.transport).toBeGreaterThan(0);
      expect(m.partial, m.transport).toBe(false);
    }
    expect(servers.size).toBe(2);
    for (const pid of servers) expect(isRunning(pid), `server ${pid}`).toBe(false);
  }, 30_000);
});

describe('im-bench capacity (the real CLI)', () => {
  it('refuses a technique that is not polled with exit 2 and a one-line error naming the flag', async () => {
    const result = await runCli(['capacity', '--transport', 'websocket']);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      'Error: --transport: expected all, short-polling or long-polling (capacity measures the polling endpoints), got "websocket"\n',
    );
    expect(result.stdout).toBe('');
  });

  it('stops before starting anything when the connections would not fit in the open-file limit, naming --connections', async () => {
    const hardLimit = Number(/^Max open files\s+\S+\s+(\d+)/m.exec(readFileSync('/proc/self/limits', 'utf8'))?.[1]);
    const connections = hardLimit + 1;
    const result = await runCli(['capacity', '--connections', String(connections)]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      `Error: --connections ${connections} needs about ${connections + 64} open files in the reference server, which is one process`,
    );
    expect(result.stderr).toContain(
      `--connections ${connections} needs about ${connections + 64} open files in the load generator, which is one process`,
    );
    expect(result.stderr).not.toContain('--workers');
    expect(result.stderr).not.toContain('--clients');
    expect(result.stdout).toBe('');
  });

  it('on Ctrl-C prints what was measured, exits 3 and leaves no server behind', async () => {
    const child = spawn(
      process.execPath,
      [CLI, 'capacity', '--connections', '10', '--duration', '30s', '--warmup', '0', '--json'],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    defer(() => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    });
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    let server = 0;
    await waitFor(() => (server = serverChildOf(child.pid!)) !== 0, 'the reference server child', 10_000);
    // Past the server's start and the first request check, into the measured time.
    await waitForStats(
      server,
      (stats) => Object.values(stats.requests ?? {}).reduce((sum, count) => sum + count, 0) >= 200,
      'the load to be under way',
    );
    child.kill('SIGINT');
    const [code] = (await once(child, 'exit')) as [number | null];
    expect(code).toBe(3);
    const document = JSON.parse(stdout) as CapacityResult;
    expect(document.aborted).toBe(true);
    expect(document.techniques).toEqual([expect.objectContaining({ transport: 'short-polling', partial: true })]);
    expect(document.techniques[0]!.requests.perSecond).toBeGreaterThan(0);
    expect(isRunning(server)).toBe(false);
  }, 30_000);

  it('prints a document that matches its schema with --json, and writes the same to --out', async () => {
    const out = join(temporaryFolder(), 'capacity.json');
    const result = await runCli(
      [
        'capacity',
        '--transport',
        'short-polling',
        '--connections',
        '10',
        '--duration',
        '1s',
        '--warmup',
        '0',
        '--json',
        '--out',
        out,
      ],
      30_000,
    );
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const document = JSON.parse(result.stdout) as CapacityResult;
    expect(validateCapacity(document)).toEqual([]);
    expect(document.settings).toEqual({ connections: 10, durationMs: 1_000, warmupMs: 0 });
    expect(document.techniques.map((m) => m.transport)).toEqual(['short-polling']);
    expect(document.techniques[0]!.requests.perSecond).toBeGreaterThan(0);
    expect(readFileSync(out, 'utf8')).toBe(result.stdout);
  }, 30_000);
});

describe('im-bench run --capacity', () => {
  it('gives the polling techniques their headroom against the saved ceilings, and the push techniques none', async () => {
    const ceilings = JSON.parse(readFileSync(CAPACITY_FIXTURE, 'utf8')) as CapacityResult;
    const args = [
      'run',
      '--clients',
      '5',
      '--duration',
      '500ms',
      '--warmup',
      '0s',
      '--rate',
      '10',
      '--poll-interval',
      '100ms',
      // Both polling techniques, and one push technique for "none".
      '--transport',
      'short-polling,long-polling,sse',
    ];
    const result = await runCli([...args, '--capacity', CAPACITY_FIXTURE, '--json', '--quiet'], 60_000);
    expect(result.code).toBe(0);
    const document = JSON.parse(result.stdout) as RunResult;
    expect(validateResult(document)).toEqual([]);
    const [shortPolling, longPolling, sse] = document.transports;
    for (const [t, index] of [
      [shortPolling!, 0],
      [longPolling!, 1],
    ] as const) {
      const requestsPerSecond = t.requests.inWindow / t.windowSeconds;
      const ceilingPerSecond = ceilings.techniques[index]!.requests.perSecond;
      expect(requestsPerSecond, t.transport).toBeGreaterThan(0);
      expect(t.headroom, t.transport).toEqual({
        ceilingPerSecond,
        requestsPerSecond,
        ratio: requestsPerSecond / ceilingPerSecond,
        source: 'file',
        measuredAt: ceilings.startedAt,
      });
    }
    expect(sse!.transport).toBe('sse');
    expect(sse).not.toHaveProperty('headroom');
  }, 90_000);

  it("with probe, measures the ceiling of the run's polling techniques first", async () => {
    const scenario = await loadScenario(
      'notify',
      {
        transport: 'long-polling,websocket',
        clients: '3',
        duration: '300ms',
        warmup: '0s',
      },
      TRANSPORT_NAMES,
    );
    const warnings: string[] = [];
    const result = await run({ scenario, capacity: 'probe', onWarning: (warning) => warnings.push(warning) });
    // A busy machine may flag the generator; nothing may be said about the ceilings.
    expect(warnings.filter((warning) => warning.includes('capacity') || warning.includes('ceiling'))).toEqual([]);
    const [longPolling, websocket] = result.transports;
    expect(longPolling!.headroom).toMatchObject({ source: 'probe', ceilingPerSecond: expect.any(Number) });
    expect(longPolling!.headroom!.ceilingPerSecond).toBeGreaterThan(0);
    expect(Date.parse(longPolling!.headroom!.measuredAt)).toBeGreaterThanOrEqual(Date.parse(result.startedAt));
    expect(websocket).not.toHaveProperty('headroom');
  }, 60_000);
});

describe('im-bench run --capacity refusals', () => {
  it('refuses a bad capacity file with exit 2, naming the file and the field, before starting anything', async () => {
    const file = join(temporaryFolder(), 'capacity.json');
    const document = JSON.parse(readFileSync(CAPACITY_FIXTURE, 'utf8')) as CapacityResult;
    document.techniques[1]!.requests.perSecond = -3;
    writeFileSync(file, JSON.stringify(document));
    const result = await runCli(['run', '--capacity', file]);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      `Error: ${file}: techniques[1].requests.perSecond: expected a positive number of requests per second, got -3\n`,
    );
    expect(result.stdout).toBe('');

    writeFileSync(file, readFileSync(new URL('../fixtures/result-notify.json', import.meta.url)));
    const wrongKind = await runCli(['run', '--capacity', file]);
    expect(wrongKind.code).toBe(2);
    expect(wrongKind.stderr).toMatch(
      new RegExp(
        `^Error: ${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: schema: expected "im-bench/capacity@1" .*, got "im-bench/result@2"\\n$`,
      ),
    );
  });

  it("refuses --capacity with --target: the ceilings are the reference server's", async () => {
    const result = await runCli(['run', '--target', 'http://127.0.0.1:1', '--capacity', 'probe']);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      'Error: --capacity: expected no --target with it: the ceilings are those of the reference server, got "probe"\n',
    );
  });
});
