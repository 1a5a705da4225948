import { execFileSync } from 'node:child_process';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { privateFolder } from './cli-process.js';
import { hostileCase, Tally } from './tally.js';

const tally = new Tally('harness', 'scenario files that are not one');

/** A file of the test's own, with this content. */
function scenarioFile(name: string, content: string | Buffer): string {
  const path = join(privateFolder(), name);
  writeFileSync(path, content);
  return path;
}

/** `run --scenario FILE` must end with exit 2 and one line naming the file, quickly, with nothing run. */
async function expectRefused(path: string, why: RegExp): Promise<void> {
  const started = Date.now();
  const result = await runCli(['run', '--scenario', path, '--transport', 'sse', '--quiet']);
  expect(result.code, result.stderr).toBe(2);
  expect(result.stderr.startsWith(`Error: ${path}: `), result.stderr).toBe(true);
  expect(result.stderr).toMatch(why);
  expect(result.stderr).not.toMatch(/unexpected failure|\n\s+at /);
  expect(result.stderr.length).toBeLessThan(2_000);
  expect(result.stdout).toBe('');
  expect(Date.now() - started).toBeLessThan(5_000);
}

/** Nine anchors, each a list of nine aliases of the one before: 9^9 strings once expanded. */
function aliasBomb(): string {
  const lines = ['a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]'];
  const names = 'abcdefghi';
  for (let i = 1; i < names.length; i++) {
    lines.push(
      `${names[i]}: &${names[i]} [${Array(9)
        .fill(`*${names[i - 1]}`)
        .join(', ')}]`,
    );
  }
  return `${lines.join('\n')}\nclients: *i\n`;
}

describe('scenario files the parser or the reader would choke on', () => {
  hostileCase(tally, 'a YAML alias bomb ("billion laughs")', async () => {
    await expectRefused(scenarioFile('bomb.yaml', aliasBomb()), /invalid YAML: Excessive alias count/);
  });
  hostileCase(tally, 'a 2 MiB file (a scenario is a few lines)', async () => {
    const path = scenarioFile('huge.yaml', `# ${'x'.repeat(2 * 1024 * 1024)}\nclients: 2\n`);
    await expectRefused(path, /expected a scenario file of at most 1 MiB/);
  });
  hostileCase(tally, 'a named pipe (refused without waiting for a writer)', async () => {
    const fifo = join(privateFolder(), 'pipe.yaml');
    execFileSync('mkfifo', [fifo]);
    await expectRefused(fifo, /expected a scenario file, got a named pipe/);
  });
  hostileCase(tally, 'a folder named like a scenario file', async () => {
    const folder = join(privateFolder(), 'folder.yaml');
    mkdirSync(folder);
    await expectRefused(folder, /expected a scenario file, got a folder/);
  });
  hostileCase(tally, 'a symlink to /dev/zero (endless)', async () => {
    const link = join(privateFolder(), 'zero.yaml');
    symlinkSync('/dev/zero', link);
    await expectRefused(link, /expected a scenario file, got a character device/);
  });
  hostileCase(tally, 'JSON nested half a million deep', async () => {
    const path = scenarioFile('deep.json', `${'['.repeat(500_000)}${']'.repeat(500_000)}`);
    await expectRefused(path, /expected a mapping of scenario fields/);
  });
  hostileCase(tally, 'YAML nested a hundred thousand deep', async () => {
    const path = scenarioFile('deep.yaml', `clients: ${'['.repeat(100_000)}${']'.repeat(100_000)}\n`);
    await expectRefused(path, /invalid YAML/);
  });
  hostileCase(tally, 'a field whose value is nested half a million deep', async () => {
    const path = scenarioFile('deep-value.json', `{"clients": ${'['.repeat(500_000)}${']'.repeat(500_000)}}`);
    await expectRefused(path, /clients: expected an integer/);
  });
  hostileCase(tally, 'a field name of 900,000 characters (the message stays short)', async () => {
    const path = scenarioFile('long-key.json', `{"${'k'.repeat(900_000)}": 1}`);
    await expectRefused(path, /unknown field "k+… \(900002 characters\)/);
  });
  hostileCase(tally, 'bytes that are not text', async () => {
    const path = scenarioFile('binary.yaml', Buffer.from([0xff, 0xfe, 0x00, 0x01, 0x9f, 0x0a, 0x00, 0x3a]));
    await expectRefused(path, /invalid YAML|expected a mapping/);
  });
});
