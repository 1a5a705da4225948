import { execFileSync, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import WebSocket from 'ws';
import type { Envelope } from '../../src/core/envelope.js';
import { defer, temporaryFolder } from '../helpers/cleanup.js';
import { type CliResult, runCli, type ServeProcess, spawnServe } from '../helpers/cli.js';
import { httpRequest, wsUrl } from '../helpers/http.js';
import { hostileCase, type Tally } from './tally.js';

/** A fresh folder, removed after the test. */
export function tempFolder(): string {
  return temporaryFolder('im-bench-hostile-journal-');
}

/** Why a tmpfs cannot be mounted here (not root, no mount namespace), or undefined when it can. */
function probeTmpfs(): string | undefined {
  const folder = mkdtempSync(join(tmpdir(), 'im-bench-tmpfs-probe-'));
  try {
    const mounted = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', folder], { encoding: 'utf8' });
    if (mounted.status !== 0) return `mount -t tmpfs failed: ${(mounted.stderr || String(mounted.error)).trim()}`;
    execFileSync('umount', [folder]);
    return undefined;
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

export const NO_TMPFS = probeTmpfs();
if (NO_TMPFS !== undefined) console.warn(`journal hostile cases that need a tmpfs are skipped: ${NO_TMPFS}`);

/** Whether `chattr` can set flags on a tmpfs file here (it needs CAP_LINUX_IMMUTABLE and Linux 6.0 or later). */
function probeChattr(): string | undefined {
  if (NO_TMPFS !== undefined) return NO_TMPFS;
  const folder = mkdtempSync(join(tmpdir(), 'im-bench-chattr-probe-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', folder]);
    writeFileSync(join(folder, 'file'), '');
    const set = spawnSync('chattr', ['+a', join(folder, 'file')], { encoding: 'utf8' });
    if (set.status !== 0) return `chattr +a on a tmpfs file failed: ${(set.stderr || String(set.error)).trim()}`;
    spawnSync('chattr', ['-a', join(folder, 'file')]);
    return undefined;
  } finally {
    spawnSync('umount', [folder]);
    rmSync(folder, { recursive: true, force: true });
  }
}

export const NO_CHATTR = probeChattr();
if (NO_CHATTR !== undefined) console.warn(`journal hostile cases that need chattr +i are skipped: ${NO_CHATTR}`);

/**
 * A hostile case that needs something this machine may not have (root for a tmpfs, chattr):
 * skipped, with the reason in its name, without it — except in CI, which runs as root and must
 * run every case, so there it runs and fails with the reason.
 */
export function caseNeeding(
  missing: string | undefined,
  tally: Tally,
  name: string,
  body: () => Promise<void>,
  options: { timeoutMs?: number } = {},
): void {
  if (missing === undefined || process.env.CI !== undefined) hostileCase(tally, name, body, options);
  else it.skip(`${name} (skipped: ${missing})`, () => {});
}

/** A tmpfs of `size` (mount's syntax: 64k) on a fresh folder; unmounted and removed after the test. */
export function mountTmpfs(size: string, readOnly = false): string {
  const folder = mkdtempSync(join(tmpdir(), 'im-bench-tmpfs-'));
  execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${size}${readOnly ? ',ro' : ''}`, 'tmpfs', folder]);
  defer(() => {
    // Lazily: a process the test failed to stop may still hold a file open there.
    spawnSync('umount', ['-l', folder]);
    rmSync(folder, { recursive: true, force: true });
  });
  return folder;
}

export function remountReadOnly(folder: string): void {
  execFileSync('mount', ['-o', 'remount,ro', folder]);
}

/** Sets a file attribute (`+i` immutable, `+a` append only); cleared again after the test, so the file can go. */
export function chattr(path: string, flag: '+i' | '-i' | '+a' | '-a'): void {
  execFileSync('chattr', [flag, path]);
  if (flag.startsWith('+')) defer(() => spawnSync('chattr', [flag.replace('+', '-'), path]));
}

/** `im-bench serve --journal PATH --json` until its ready line; killed after the test. */
export function serveJournal(path: string, ...extra: string[]): Promise<ServeProcess> {
  return spawnServe(['--journal', path, '--json', ...extra]);
}

/** The same, with the size of any file it writes limited to `kib` KiB (RLIMIT_FSIZE: past it writes fail with EFBIG). */
export function serveJournalWithFileLimit(path: string, kib: number): Promise<ServeProcess> {
  return spawnServe(['--journal', path, '--json'], ['bash', '-c', `ulimit -f ${kib}; exec "$@"`, 'bash']);
}

export async function kill9(server: ServeProcess): Promise<void> {
  const exited = once(server.child, 'exit');
  server.child.kill('SIGKILL');
  await exited;
}

export async function stop(server: ServeProcess): Promise<number | null> {
  const exited = once(server.child, 'exit') as Promise<[number | null]>;
  server.child.kill('SIGTERM');
  return (await exited)[0];
}

/** A serve that must refuse to start: its result, within a few seconds however hostile the file. */
export function serveRefused(path: string, ...extra: string[]): Promise<CliResult> {
  return runCli(['serve', '--journal', path, '--port', '0', ...extra], 8_000);
}

/** Exit 2 with a message naming --journal, what was expected, and the path; no stack, no lock beside the path. */
export function expectConfigError(result: CliResult, path: string, expected: RegExp): void {
  expect(result.code, result.stderr).toBe(2);
  expect(result.stderr).toMatch(/^Error: --journal: expected /);
  expect(result.stderr).toMatch(expected);
  expect(result.stderr).toContain(JSON.stringify(path));
  expect(result.stderr).not.toMatch(/unexpected failure|\n\s+at /);
  expect(existsSync(`${path}.lock`), `${path}.lock left behind`).toBe(false);
}

export interface PublishAnswer {
  status: number;
  seq?: number;
  code?: string;
  message?: string;
  retryAfter?: string;
}

export async function publishTo(url: string, ch: string, data: string): Promise<PublishAnswer> {
  const response = await httpRequest(`${url}/publish`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ ch, data }),
  });
  const body = JSON.parse(response.text) as { seq?: number; error?: { code: string; message: string } };
  const retryAfter = response.headers['retry-after'];
  return {
    status: response.status,
    ...(body.seq === undefined ? {} : { seq: body.seq }),
    ...(body.error === undefined ? {} : { code: body.error.code, message: body.error.message }),
    ...(typeof retryAfter === 'string' ? { retryAfter } : {}),
  };
}

/** Everything the server's ring holds for `ch`, by short polling from 0. */
export async function readBack(url: string, ch: string): Promise<Envelope[]> {
  const response = await httpRequest(`${url}/poll?since=0&ch=${ch}`);
  if (response.status === 204) return [];
  expect(response.status).toBe(200);
  return (JSON.parse(response.text) as (Envelope | { gap: unknown })[]).filter(
    (item): item is Envelope => 'seq' in item,
  );
}

/** Sends one publish frame on a fresh WebSocket; the server's answer frame, or undefined when none came. */
export async function publishOverWebSocket(url: string, ch: string, data: string): Promise<unknown> {
  const socket = new WebSocket(`${wsUrl(url)}?ch=${ch}-listener`);
  defer(() => socket.terminate());
  await once(socket, 'open');
  const answer = new Promise<unknown>((resolve) => {
    socket.on('message', (frame) => resolve(JSON.parse(frame.toString())));
    setTimeout(() => resolve(undefined), 1_000);
  });
  socket.send(JSON.stringify({ type: 'publish', ch, data }));
  return answer;
}
