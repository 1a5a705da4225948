import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdirSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { privateFolder } from './cli-process.js';
import { hostileCase, Tally } from './tally.js';

const tally = new Tally('harness', '--out checked before measuring');

const RESULT = fileURLToPath(new URL('../fixtures/result-notify.json', import.meta.url));
/** Measuring this would take over 6 s: a refusal that comes sooner measured nothing. */
const LONG_RUN = ['--clients', '2', '--duration', '6s', '--warmup', '0s', '--transport', 'sse'];

/** Runs the CLI and expects exit 2 naming --out and the path, quickly, with nothing on stdout. */
async function expectRefused(args: readonly string[], out: string, why: RegExp): Promise<void> {
  const started = Date.now();
  const result = await runCli([...args, '--out', out]);
  expect(result.code, result.stderr).toBe(2);
  expect(result.stderr).toMatch(/^Error: --out: expected a regular file that can be written/);
  expect(result.stderr).toContain(`got ${JSON.stringify(out)}`);
  expect(result.stderr).toMatch(why);
  expect(result.stderr.trim().split('\n')).toHaveLength(1);
  expect(result.stdout).toBe('');
  expect(Date.now() - started).toBeLessThan(5_000);
}

/**
 * A device that fails every write, like /dev/full but in a folder of the test's own: a regression
 * that renamed a report over it would replace this node, never the machine's /dev/full.
 * (Making a device node needs root; without it, a link to /dev/full stands in.)
 */
function privateFullDevice(): string {
  const node = join(privateFolder(), 'full');
  try {
    execFileSync('mknod', ['-m', '666', node, 'c', '1', '7'], { stdio: 'ignore' });
  } catch {
    symlinkSync('/dev/full', node);
  }
  return node;
}

describe('run refuses an --out it could not write, before measuring', () => {
  const run = ['run', ...LONG_RUN];

  hostileCase(tally, 'a folder', async () => expectRefused(run, privateFolder(), /it is a folder/));
  hostileCase(tally, 'a path ending in a slash', async () => {
    await expectRefused(run, `${privateFolder()}/new/`, /a file name, not a folder/);
  });
  hostileCase(tally, 'a file in a folder that does not exist', async () => {
    await expectRefused(run, join(privateFolder(), 'missing', 'r.json'), /no such folder/);
  });
  hostileCase(tally, 'a file under a regular file', async () => {
    const file = join(privateFolder(), 'plain');
    writeFileSync(file, 'x');
    await expectRefused(run, join(file, 'r.json'), /a part of it is a file, not a folder/);
  });
  hostileCase(tally, '/proc/self/x (procfs)', async () => expectRefused(run, '/proc/self/x', /under \/proc/));
  hostileCase(tally, 'a device that fails every write (as /dev/full)', async () => {
    await expectRefused(run, privateFullDevice(), /a character device/);
  });
  hostileCase(tally, 'a new file in /dev', async () => {
    const name = `im-bench-${randomUUID()}.json`;
    await expectRefused(run, `/dev/${name}`, /\/dev holds the system's devices/);
    expect(readdirSync('/dev').filter((entry) => entry.startsWith(name) || entry.startsWith('.im-bench-'))).toEqual([]);
  });
  hostileCase(tally, 'a file in /sys', async () => expectRefused(run, '/sys/r.json', /\/sys/));
  hostileCase(tally, 'a named pipe (refused without blocking on it)', async () => {
    const fifo = join(privateFolder(), 'r.json');
    execFileSync('mkfifo', [fifo]);
    await expectRefused(run, fifo, /a named pipe/);
  });
  hostileCase(tally, 'a symlink to a device', async () => {
    const link = join(privateFolder(), 'r.json');
    symlinkSync('/dev/null', link);
    await expectRefused(run, link, /a character device/);
  });
  hostileCase(tally, 'a name longer than the filesystem allows', async () => {
    await expectRefused(run, join(privateFolder(), `${'r'.repeat(300)}.json`), /the name is too long/);
  });
  hostileCase(tally, 'a read-only folder (tried, since root passes every permission bit)', async () => {
    const folder = join(privateFolder(), 'locked');
    mkdirSync(folder, { mode: 0o555 });
    if (process.getuid?.() === 0) {
      // Root writes anyway: the check tries it, so it must accept what root can write.
      const result = await runCli(['run', ...LONG_RUN, '--duration', '100ms', '--out', join(folder, 'r.json')], 20_000);
      expect(result.code, result.stderr).toBe(0);
      expect(readdirSync(folder)).toEqual(['r.json']);
    } else {
      await expectRefused(run, join(folder, 'r.json'), /permission denied/);
    }
  });
});

describe('every other command with --out checks it the same way', () => {
  hostileCase(tally, 'sweep: a folder', async () => {
    await expectRefused(['sweep', ...LONG_RUN, '--clients', '2,3'], privateFolder(), /it is a folder/);
  });
  hostileCase(tally, 'capacity: /proc/self/x', async () => {
    await expectRefused(['capacity', '--transport', 'short-polling'], '/proc/self/x', /under \/proc/);
  });
  hostileCase(tally, 'report: a device that fails every write (as /dev/full)', async () => {
    await expectRefused(['report', RESULT], privateFullDevice(), /a character device/);
  });
  hostileCase(tally, 'merge: a folder, refused before the shards are read', async () => {
    await expectRefused(['merge', 'missing-0.json', 'missing-1.json'], privateFolder(), /it is a folder/);
  });
});
