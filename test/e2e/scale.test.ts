import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createConnection, createServer, type AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { run } from '../../src/harness/run/run.js';
import type { RunResult } from '../../src/document/result.js';
import { loadScenario } from '../../src/scenario/loader.js';
import { TRANSPORTS } from '../../src/transports/registry.js';
import { defer } from '../helpers/cleanup.js';
import { CLI, type CliResult, runCli, spawnServe } from '../helpers/cli.js';
import { openClient } from '../helpers/clients.js';
import { isRunning, nodeChildrenOf, serverChildOf, waitForWindowOpen } from '../helpers/processes.js';
import { validateResult } from '../helpers/result-schema.js';
import { startServer } from '../helpers/server.js';
import { waitFor } from '../helpers/wait.js';
import { TRANSPORT_NAMES } from '../../src/transports/registry.js';

const RUN_TIMEOUT_MS = 90_000;

/** A TCP relay to `targetPort` that notes the source address of every connection it accepts. */
async function recordingRelay(targetPort: number): Promise<{ url: string; sources: Set<string> }> {
  const sources = new Set<string>();
  const relay = createServer((downstream) => {
    sources.add(downstream.remoteAddress!);
    const upstream = createConnection(targetPort, '127.0.0.1');
    downstream.pipe(upstream).pipe(downstream);
    const close = (): void => {
      downstream.destroy();
      upstream.destroy();
    };
    downstream.on('error', close).on('close', close);
    upstream.on('error', close).on('close', close);
  });
  relay.listen(0, '127.0.0.1');
  await once(relay, 'listening');
  const open = new Set<import('node:net').Socket>();
  relay.on('connection', (socket) => {
    open.add(socket);
    socket.on('close', () => open.delete(socket));
  });
  defer(async () => {
    for (const socket of open) socket.destroy();
    relay.close();
  });
  return { url: `http://127.0.0.1:${(relay.address() as AddressInfo).port}`, sources };
}

/** Runs shard `index` of 2 of a small WebSocket run against `target`, to completion. */
function runShard(target: string, index: number): Promise<CliResult> {
  return runCli(
    [
      'run',
      '--target',
      target,
      '--transport',
      'websocket',
      '--clients',
      '9',
      '--rate',
      '20',
      '--warmup',
      '300ms',
      '--duration',
      '1500ms',
      '--shard',
      `${index}/2`,
      '--json',
      '--quiet',
    ],
    60_000,
  );
}

describe('generator workers (--workers)', () => {
  it(
    'spreads the clients over worker processes and counts exactly what one process would',
    async () => {
      const scenario = await loadScenario(
        'notify',
        {
          transport: 'long-polling,sse,websocket',
          clients: '30',
          warmup: '300ms',
          duration: '1500ms',
          rate: '20',
          'ramp-up': '0ms',
        },
        TRANSPORT_NAMES,
      );
      const result = await run({ scenario, pin: 'off', workers: 3 });
      expect(validateResult(result)).toEqual([]);
      expect(result.environment.generator).toEqual({ workers: 3, localAddresses: [] });
      for (const transport of result.transports) {
        const name = transport.transport;
        expect(transport.clients, name).toEqual({ requested: 30, connected: 30, failed: 0 });
        expect(transport.delivery.lost, name).toBe(0);
        expect(transport.delivery.duplicated, name).toBe(0);
        expect(transport.delivery.expected, name).toBe(transport.published.total * 30);
        expect(transport.delivery.delivered, name).toBe(transport.delivery.expected);
        // Every copy of every message scheduled in the window, from all three workers' histograms.
        expect(transport.latency.count, name).toBe(transport.published.inWindow * 30);
        expect(transport.connect.count, name).toBe(30);
        expect(transport.bytes.inWindow, name).toBeGreaterThan(0);
        expect(transport.generator.cpuUtilization, name).toBeGreaterThan(0);
      }
    },
    RUN_TIMEOUT_MS,
  );

  it('leaves no worker behind when the harness is killed outright, nor after a terminal Ctrl-C', async () => {
    for (const ending of ['SIGKILL', 'group SIGINT'] as const) {
      const child = spawn(
        process.execPath,
        [
          CLI,
          'run',
          '--transport',
          'sse',
          '--clients',
          '6',
          '--workers',
          '2',
          '--duration',
          '30s',
          '--warmup',
          '0s',
          '--json',
        ],
        {
          stdio: ['ignore', 'pipe', 'pipe'],
          detached: true,
        },
      );
      defer(() => {
        if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      });
      let stdout = '';
      child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
      let children: number[] = [];
      // The reference server and two workers.
      await waitFor(() => (children = nodeChildrenOf(child.pid!)).length >= 3, 'the server and both workers', 15_000);
      await waitForWindowOpen(serverChildOf(child.pid!));
      if (ending === 'SIGKILL') {
        child.kill('SIGKILL');
      } else {
        process.kill(-child.pid!, 'SIGINT');
        const [code] = (await once(child, 'exit')) as [number | null];
        expect(code, ending).toBe(3);
        const document = JSON.parse(stdout) as RunResult;
        expect(document.transports[0], `${ending}: ${stdout.slice(0, 2_000)}`).toMatchObject({
          transport: 'sse',
          partial: true,
          clients: { connected: 6 },
        });
        expect(document.transports[0]!.delivery.lost, ending).toBe(0);
      }
      await waitFor(() => children.every((pid) => !isRunning(pid)), `every child to exit after ${ending}`, 8_000);
    }
  }, 60_000);
});

describe('source addresses (--local-address)', () => {
  it('every technique connects from the address it is given', async () => {
    const server = await startServer();
    const relay = await recordingRelay(new URL(server.url).port === '' ? 80 : Number(new URL(server.url).port));
    for (const transport of TRANSPORTS) {
      relay.sources.clear();
      await openClient(transport, relay.url, { localAddress: '127.0.0.3' });
      expect([...relay.sources], transport.name).toEqual(['127.0.0.3']);
    }
  });

  it('a run deals its clients out over the addresses', async () => {
    const server = await startServer();
    const relay = await recordingRelay(Number(new URL(server.url).port));
    const scenario = await loadScenario(
      'notify',
      {
        transport: 'websocket',
        clients: '6',
        warmup: '0ms',
        duration: '500ms',
        rate: '4',
      },
      TRANSPORT_NAMES,
    );
    const result = await run({
      scenario,
      pin: 'off',
      target: new URL(relay.url),
      localAddresses: ['127.0.0.4', '127.0.0.5', '127.0.0.6'],
    });
    expect(result.environment.generator!.localAddresses).toEqual(['127.0.0.4', '127.0.0.5', '127.0.0.6']);
    expect(result.transports[0]!.delivery.lost).toBe(0);
    expect([...relay.sources].sort()).toEqual(['127.0.0.1', '127.0.0.4', '127.0.0.5', '127.0.0.6']);
  });
});

describe('shards (--shard I/N)', () => {
  it(
    'two shards against one target split the clients and the schedule, and lose nothing',
    async () => {
      const serve = await spawnServe();
      // The second starts a moment later, as shards on other machines would: the first waits for its clients.
      const first = runShard(serve.url, 0);
      await new Promise((resolve) => setTimeout(resolve, 700));
      const results = await Promise.all([first, runShard(serve.url, 1)]);
      const documents = results.map((result) => {
        expect(result.stderr).toBe('');
        expect(result.code).toBe(0);
        return JSON.parse(result.stdout) as RunResult;
      });
      const [a, b] = documents.map((document) => document.transports[0]!);
      expect(documents.map((document) => document.shard)).toEqual([
        { index: 0, count: 2 },
        { index: 1, count: 2 },
      ]);
      for (const document of documents) expect(validateResult(document)).toEqual([]);
      expect([a!.clients.requested, b!.clients.requested]).toEqual([4, 5]);
      // Shares of one 20 msg/s schedule over 1.8 s: 36 messages, 18 each.
      expect(a!.published.total + b!.published.total).toBe(36);
      expect(Math.abs(a!.published.total - b!.published.total)).toBeLessThanOrEqual(1);
      for (const [shard, clients] of [
        [a!, 4],
        [b!, 5],
      ] as const) {
        // Every client receives every shard's messages, but times only its own shard's.
        expect(shard.delivery.expected).toBe(36 * clients);
        expect(shard.delivery.lost).toBe(0);
        expect(shard.delivery.delivered).toBe(36 * clients);
        expect(shard.latency.count).toBe(shard.published.inWindow * clients);
      }

      // Merged, they read as one run of 9 clients: counts summed, histograms joined.
      const folder = mkdtempSync(join(tmpdir(), 'im-bench-shards-'));
      defer(() => rmSync(folder, { recursive: true, force: true }));
      const files = documents.map((document, i) => {
        const file = join(folder, `shard-${i}.json`);
        writeFileSync(file, JSON.stringify(document));
        return file;
      });
      const merged = await runCli(['merge', ...files]);
      expect(merged.stderr).toBe('');
      expect(merged.code).toBe(0);
      const whole = JSON.parse(merged.stdout) as RunResult;
      expect(validateResult(whole)).toEqual([]);
      const joined = whole.transports[0]!;
      expect(joined.clients.requested).toBe(9);
      expect(joined.published.total).toBe(36);
      expect(joined.delivery).toMatchObject({ expected: 36 * 9, delivered: 36 * 9, lost: 0 });
      expect(joined.latency.count).toBe(a!.latency.count + b!.latency.count);
      expect(joined.latency.max).toBe(Math.max(a!.latency.max!, b!.latency.max!));
    },
    RUN_TIMEOUT_MS,
  );

  it('needs a --target, and a scenario whose server publishes', async () => {
    const noTarget = await runCli(['run', '--shard', '0/2']);
    expect(noTarget.code).toBe(2);
    expect(noTarget.stderr).toContain('Error: --shard: expected a --target that every shard drives');
    const bad = await runCli(['run', '--target', 'http://127.0.0.1:1', '--shard', '2/2']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('Error: --shard: expected I/N with 0 <= I < N');
    const chat = await runCli(['run', '--target', 'http://127.0.0.1:1', '--shard', '0/2', '--scenario', 'chat']);
    expect(chat.code).toBe(2);
    expect(chat.stderr).toContain('Error: --shard: expected a scenario whose server side publishes');
  });
});
