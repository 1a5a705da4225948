import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { basename, join } from 'node:path';
import { Agent, request } from 'undici';
import { trackChildProcess } from '../core/child-processes.js';
import { ImBenchError } from '../core/errors.js';
import { makeTemporaryFolder, removeTemporaryPath } from '../core/temporary-paths.js';
import { renderTemplate } from './config-template.js';
import type { Profile, ServerLifecycle } from './profile.js';

const READY_TIMEOUT_MS = 10_000;
const READY_POLL_MS = 50;
const STOP_TIMEOUT_MS = 3_000;
const STDERR_KEPT = 4_096;

export interface ProfileServerOptions {
  /** Values for the config template's placeholders besides `prefix` and `port` (workers, buffer …). */
  values: Readonly<Record<string, string | number>>;
  /** argv placed before the command: CPU pinning (`taskset -c 0`); every process it starts inherits it. */
  prefix: readonly string[];
  /** 0 or absent picks a free port; a restart asks for the one it had. */
  port?: number;
  /** Over TLS with the run's certificate (the lifecycle's `tls`): its PEM, trusted, and its files, given to the server. */
  tls?: { cert: string; files: { cert: string; key: string } };
  /** With `tls`: HTTP/2 too, by ALPN (the lifecycle's `tls` includes h2). */
  http2?: boolean;
}

/** The profile's lifecycle, or exit 2 when it has none or when what it needs is not installed. */
export function lifecycleOf(profile: Profile): ServerLifecycle {
  const server = profile.server;
  if (server === undefined)
    throw new ImBenchError(
      'IMB_ERR_INVALID_OPTION',
      `the ${profile.name} profile (${profile.source}) has no server: section, so im-bench cannot start one; use --target URL --profile ${profile.name} for a server already running`,
    );
  const missing = server.requiredFiles.filter((file) => !existsSync(file));
  if (missing.length > 0)
    throw new ImBenchError(
      'IMB_ERR_PREFLIGHT',
      `the ${profile.name} profile needs ${missing.join(' and ')}, not found on this machine${server.install === undefined ? '' : `; install with: ${server.install}`}`,
    );
  return server;
}

/** True while a process of group `pgid` lives: its /proc stat says so (state, then ppid, then the group). */
function groupAlive(pgid: number): boolean {
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
    } catch {
      continue;
    }
    const [state, , group] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (Number(group) === pgid && state !== 'Z') return true;
  }
  return false;
}

/** A port nothing listens on now; the server binds it a moment later (the config must name one). */
export async function freePort(): Promise<number> {
  const probe = createServer();
  probe.listen(0, '127.0.0.1');
  await once(probe, 'listening');
  const { port } = probe.address() as { port: number };
  probe.close();
  await once(probe, 'close');
  return port;
}

/**
 * A server of a profile's kind, started by im-bench in a temporary prefix (its config written
 * there from the profile's template), in the foreground, in a process group of its own: stopping
 * or killing it reaches every process it started (nginx's master and workers).
 */
export class ProfileServer {
  private stderrTail = '';
  private readonly exited: Promise<unknown>;

  private constructor(
    private readonly child: ChildProcess,
    readonly url: string,
    readonly port: number,
    private readonly folder: string,
    private readonly lifecycle: ServerLifecycle,
  ) {
    // A command that cannot be started emits 'error' and never 'exit': ready() reports that one.
    this.exited = once(child, 'exit').catch(() => undefined);
    child.stderr!.on('data', (chunk: Buffer) => {
      this.stderrTail = (this.stderrTail + chunk.toString()).slice(-STDERR_KEPT);
    });
  }

  get pid(): number {
    return this.child.pid!;
  }

  /** What the server wrote on stderr lately, for diagnosis. */
  get stderr(): string {
    return this.stderrTail;
  }

  static async start(profile: Profile, options: ProfileServerOptions): Promise<ProfileServer> {
    return ProfileServer.startLifecycle(profile.name, lifecycleOf(profile), options);
  }

  /** A server of `lifecycle` (a profile's, or the reverse proxy's), named `name` in its temporary folder. */
  static async startLifecycle(
    name: string,
    lifecycle: ServerLifecycle,
    options: ProfileServerOptions,
  ): Promise<ProfileServer> {
    const port = options.port || (await freePort());
    const folder = makeTemporaryFolder(`im-bench-${name}-`);
    const { tls } = options;
    // The files only over TLS: a {{tls-cert}} outside a {{#tls}} section is then an unknown placeholder.
    const files: Record<string, string> =
      tls === undefined ? {} : { 'tls-cert': tls.files.cert, 'tls-key': tls.files.key };
    let config: string | undefined;
    try {
      // Readable by a server's workers that drop root (nginx's run as nobody or www-data).
      chmodSync(folder, 0o755);
      for (const sub of ['tmp', 'run', 'logs']) mkdirSync(join(folder, sub));
      const switches = { tls: tls === undefined ? '' : 1, http2: tls !== undefined && options.http2 === true ? 1 : '' };
      config = writeConfig(lifecycle, folder, { ...options.values, ...switches, ...files, prefix: folder, port });
    } catch (error) {
      removeTemporaryPath(folder);
      throw error;
    }
    const fill = (arg: string): string =>
      arg
        .replaceAll('{prefix}', folder)
        .replaceAll('{port}', String(port))
        .replaceAll('{config}', config ?? '')
        .replaceAll('{profile-dir}', lifecycle.profileDir);
    const argv = [...options.prefix, ...lifecycle.command.map(fill)];
    const child = spawn(argv[0]!, argv.slice(1), { cwd: folder, stdio: ['ignore', 'ignore', 'pipe'], detached: true });
    trackChildProcess(child);
    const scheme = tls === undefined ? 'http' : 'https';
    const server = new ProfileServer(child, `${scheme}://127.0.0.1:${port}`, port, folder, lifecycle);
    const trusting = tls === undefined ? undefined : new Agent({ connect: { ca: tls.cert } });
    try {
      await server.ready(argv, trusting);
    } catch (error) {
      await server.kill();
      throw error;
    } finally {
      void trusting?.close();
    }
    return server;
  }

  /** Polls the ready path until it answers 2xx; fails when the process exits first or in time. */
  private async ready(argv: readonly string[], trusting: Agent | undefined): Promise<void> {
    const failed = (why: string): ImBenchError =>
      new ImBenchError(
        'IMB_ERR_SERVER_START',
        `the server (${argv.join(' ')}) ${why}${this.stderrTail === '' ? '' : `:\n${this.stderrTail.trim()}`}`,
      );
    let started: Error | undefined;
    this.child.once('error', (error) => (started = error));
    const deadline = performance.now() + READY_TIMEOUT_MS;
    let last = 'no answer';
    while (performance.now() < deadline) {
      if (started !== undefined) throw failed(`could not be started (${started.message})`);
      if (!this.running) {
        // Its last words may still be in the pipe when the exit is seen.
        await Promise.race([once(this.child.stderr!, 'close'), new Promise((resolve) => setTimeout(resolve, 200))]);
        throw failed(`exited before it was ready (${this.child.signalCode ?? `code ${this.child.exitCode}`})`);
      }
      // Still ours: a dead server's port may already answer for someone else.
      const answer = await this.answer(trusting);
      if (answer === 'ok' && this.running) return;
      last = answer;
      await new Promise((resolve) => setTimeout(resolve, READY_POLL_MS));
    }
    throw failed(`did not answer ${this.lifecycle.readyPath} within ${READY_TIMEOUT_MS / 1000} s (last: ${last})`);
  }

  /** 'ok' for a 2xx, else what came instead; over TLS, `trusting` checks the server's certificate: the run's own. */
  private async answer(trusting: Agent | undefined): Promise<string> {
    try {
      const response = await request(`${this.url}${this.lifecycle.readyPath}`, {
        headersTimeout: 1_000,
        bodyTimeout: 1_000,
        ...(trusting === undefined ? {} : { dispatcher: trusting }),
      });
      await response.body.dump();
      return response.statusCode >= 200 && response.statusCode < 300 ? 'ok' : `status ${response.statusCode}`;
    } catch (error) {
      return (error as Error).message;
    }
  }

  private get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Signals every process of the group (a master and its workers, even when the master is gone). */
  private signalGroup(signal: NodeJS.Signals | 0): boolean {
    try {
      process.kill(-this.pid, signal);
      return true;
    } catch {
      return false;
    }
  }

  /**
   * Waits until no process of the group is left alive, so the port and the folder are free. A
   * zombie does not count: a worker whose master died is reaped by init, which in a container
   * can take a second, while it holds nothing (and a restart fault is timed from this moment).
   */
  private async groupGone(): Promise<void> {
    await this.exited;
    const deadline = performance.now() + STOP_TIMEOUT_MS;
    while (groupAlive(this.pid) && performance.now() < deadline) {
      this.signalGroup('SIGKILL');
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  /** SIGKILL to the whole group: the fault of a server that dies without a word. */
  async kill(): Promise<void> {
    if (this.child.pid !== undefined) {
      this.signalGroup('SIGKILL');
      await this.groupGone();
    }
    removeTemporaryPath(this.folder);
  }

  /** The profile's stop signal, then SIGKILL to the group if it has not exited in time. */
  async stop(): Promise<void> {
    if (this.child.pid !== undefined) {
      if (this.running) this.signalGroup(this.lifecycle.stopSignal);
      const timer = setTimeout(() => this.signalGroup('SIGKILL'), STOP_TIMEOUT_MS);
      await this.exited;
      clearTimeout(timer);
      // Workers that outlived their master still belong to the group.
      this.signalGroup('SIGKILL');
      await this.groupGone();
    }
    removeTemporaryPath(this.folder);
  }
}

/** Writes the profile's config template, filled, into the prefix; its path, or undefined without one. */
function writeConfig(
  lifecycle: ServerLifecycle,
  folder: string,
  values: Readonly<Record<string, string | number>>,
): string | undefined {
  const template = lifecycle.configTemplate;
  if (template === undefined) return undefined;
  const path = join(folder, basename(template));
  writeFileSync(path, renderTemplate(readFileSync(template, 'utf8'), values, basename(template)));
  return path;
}
