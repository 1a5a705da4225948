import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { privateFolder } from './cli-process.js';
import { hostileCase, Tally } from './tally.js';

const tally = new Tally('harness', 'values that do not fit together, blamed where they were given');

function scenarioFile(content: string): string {
  const path = join(privateFolder(), 'mine.yaml');
  writeFileSync(path, content);
  return path;
}

/** Exit 2; the message starts with what is blamed and names where each other value came from. */
async function expectBlamed(args: readonly string[], blamed: string, mentions: readonly string[]): Promise<void> {
  const result = await runCli(['run', '--transport', 'sse', '--quiet', ...args]);
  expect(result.code, result.stderr).toBe(2);
  expect(result.stderr.startsWith(`Error: ${blamed}: expected `), result.stderr).toBe(true);
  for (const mention of mentions) expect(result.stderr).toContain(mention);
  expect(result.stdout).toBe('');
}

const FAULT_FILE = 'fault: drop\nfault-at: 5s\nduration: 2s\n';

describe('a fault time past the end of the window', () => {
  hostileCase(tally, '--fault-at 10m with --duration 1s: the flag, not the scenario file', async () => {
    await expectBlamed(['--fault', 'restart', '--fault-at', '10m', '--duration', '1s'], '--fault-at', [
      'shorter than duration 1s (from --duration)',
      'fault restart (from --fault)',
      'got "10m"',
    ]);
  });
  hostileCase(tally, 'fault-at past duration, both in the file: the file and its field', async () => {
    const file = scenarioFile(FAULT_FILE);
    await expectBlamed(['--scenario', file], `${file}: fault-at`, [
      `shorter than duration 2s (from ${file})`,
      'got 5s',
    ]);
  });
  hostileCase(tally, "--fault-at past the file's duration: the flag, naming the file's duration", async () => {
    const file = scenarioFile(FAULT_FILE);
    await expectBlamed(['--scenario', file, '--fault-at', '3s'], '--fault-at', [`duration 2s (from ${file})`]);
  });
  hostileCase(
    tally,
    "--duration shorter than the file's fault-at: --duration, naming the file's fault-at",
    async () => {
      const file = scenarioFile(FAULT_FILE);
      await expectBlamed(['--scenario', file, '--duration', '1s'], '--duration', [
        `longer than fault-at 5s (from ${file})`,
        'got "1s"',
      ]);
    },
  );
  hostileCase(tally, '--duration 2s with the built-in restart: --duration, naming the default fault-at', async () => {
    await expectBlamed(['--scenario', 'restart', '--duration', '2s'], '--duration', [
      'fault-at 3s (the default)',
      'restart.yaml)',
    ]);
  });
});

describe('more channels than clients when the clients publish', () => {
  hostileCase(tally, "chat with --clients 1: --clients, naming the file's channels", async () => {
    await expectBlamed(['--scenario', 'chat', '--clients', '1'], '--clients', [
      'at least channels 5 (from ',
      'publisher clients (from ',
    ]);
  });
  hostileCase(tally, 'all three as flags: --channels', async () => {
    await expectBlamed(['--publisher', 'clients', '--clients', '2', '--channels', '3'], '--channels', [
      'at most clients 2 (from --clients)',
      'publisher clients (from --publisher)',
    ]);
  });
  hostileCase(tally, 'all three in the file: the file and its channels field', async () => {
    const file = scenarioFile('publisher: clients\nclients: 2\nchannels: 4\n');
    await expectBlamed(['--scenario', file], `${file}: channels`, [`at most clients 2 (from ${file})`, 'got 4']);
  });
  hostileCase(tally, 'sweep: the value of the list that does not fit', async () => {
    const result = await runCli(['sweep', '--scenario', 'chat', '--clients', '10,2', '--quiet']);
    expect(result.code, result.stderr).toBe(2);
    expect(result.stderr).toMatch(/^Error: --clients: expected at least channels 5 \(from .*chat\.yaml\)/);
    expect(result.stderr).toContain('got "2"');
  });
});

describe('flags that do not fit the scenario', () => {
  const target = ['--target', 'http://127.0.0.1:9'];
  hostileCase(tally, "--target with the restart scenario: --target, naming the file's fault", async () => {
    await expectBlamed(['--scenario', 'restart', ...target], '--target', ['fault restart (from ', 'restart.yaml)']);
  });
  hostileCase(tally, '--target with --fault restart: --fault', async () => {
    await expectBlamed(['--fault', 'restart', ...target], '--fault', ['none, drop or slow with --target']);
  });
  hostileCase(tally, "--shard with the chat scenario: --shard, naming the file's publisher", async () => {
    await expectBlamed(['--scenario', 'chat', '--shard', '0/2', ...target], '--shard', [
      'not publisher clients (from ',
      'chat.yaml)',
    ]);
  });
});
