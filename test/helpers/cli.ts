import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { defer } from './cleanup.js';

export const CLI = fileURLToPath(new URL('../../bin/im-bench.js', import.meta.url));

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the real CLI to completion (killed after `timeoutMs`). */
export async function runCli(args: string[], timeoutMs = 10_000): Promise<CliResult> {
  const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const [code] = (await once(child, 'close')) as [number | null];
  clearTimeout(timer);
  return { code, stdout, stderr };
}

export interface ServeProcess {
  child: ChildProcess;
  readyLine: string;
  url: string;
  port: number;
  stderr(): string;
}

/**
 * Spawns `im-bench serve` and waits for its ready line; killed after the test if still running.
 * `launcher` runs it through another command (`bash -c 'ulimit -f 8; exec "$@"' bash`).
 */
export async function spawnServe(args: string[] = [], launcher: string[] = []): Promise<ServeProcess> {
  const command = [...launcher, process.execPath, CLI, 'serve', '--port', '0', ...args];
  const child = spawn(command[0]!, command.slice(1), { stdio: ['ignore', 'pipe', 'pipe'] });
  defer(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const readyLine = await new Promise<string>((resolve, reject) => {
    let stdout = '';
    const timer = setTimeout(() => reject(new Error(`no ready line within 10 s; stderr: ${stderr}`)), 10_000);
    child.stdout!.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const end = stdout.indexOf('\n');
      if (end === -1) return;
      clearTimeout(timer);
      resolve(stdout.slice(0, end));
    });
    child.once('exit', (code) => reject(new Error(`serve exited with ${code} before it was ready; stderr: ${stderr}`)));
  });
  const url = /https?:\/\/[^\s"]+/.exec(readyLine)![0];
  return { child, readyLine, url, port: Number(new URL(url).port), stderr: () => stderr };
}
