import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { trackChildProcess } from '../../core/child-processes.js';
import { ImBenchError } from '../../core/errors.js';
import { packagePath } from '../../core/paths.js';
import type { TransportName } from '../../document/scenario.js';
import type { ServerStats } from '../../server/server-options.js';
import type { ClientTls } from '../../transports/shared/plain-connection.js';
import { requestStats } from './stats-request.js';

const CLI = packagePath('bin', 'im-bench.js');
const READY_TIMEOUT_MS = 10_000;
const STOP_TIMEOUT_MS = 3_000;
const STDERR_KEPT = 4_096;
/** An overloaded server may answer slowly, but a final count must not be given up on lightly. */
const STATS_TIMEOUT_MS = 30_000;

export interface ServerProcessOptions {
  transports: readonly TransportName[];
  /** Announced to SSE clients with `retry:` (the `--sse-retry` flag of `serve`). */
  reconnectDelayMs: number;
  longPollTimeoutMs: number;
  heartbeatMs: number;
  /** 0 (the default) picks a free port; a restart asks for the one it had. */
  port?: number;
  journalPath?: string;
  /** argv placed before `node`: CPU pinning (`taskset -c 0`), descriptor limits (`prlimit ...`). */
  prefix: readonly string[];
  /** `serve --calibrate-delay` and `--calibrate-cpu`: slow the server on purpose, to calibrate compare. */
  calibrateDelayMs?: number;
  calibrateCpuMicros?: number;
  /** Serve over TLS with the run's certificate (`serve --tls-cert --tls-key`); its `cert` is what im-bench trusts. */
  tls?: ServerTls;
  /** Serve HTTP/2 too (`serve --http2`): over TLS on its port, else in cleartext on an h2c port (`h2cPort`, 0: any). */
  http2?: boolean;
  h2cPort?: number;
}

export interface ServerTls {
  files: { cert: string; key: string };
  cert: string;
}

/** The calibration flags of `serve`, only those that slow it. */
function calibrationArgs({ calibrateDelayMs = 0, calibrateCpuMicros = 0 }: ServerProcessOptions): string[] {
  return [
    ...(calibrateDelayMs > 0 ? ['--calibrate-delay', `${calibrateDelayMs}ms`] : []),
    ...(calibrateCpuMicros > 0 ? ['--calibrate-cpu', `${calibrateCpuMicros}us`] : []),
  ];
}

function http2Args({ http2, h2cPort, tls }: ServerProcessOptions): string[] {
  if (http2 !== true) return [];
  return tls === undefined && h2cPort !== undefined ? ['--http2', '--h2c-port', String(h2cPort)] : ['--http2'];
}

/** The ready line of `serve --json`: where it listens. */
interface ReadyLine {
  url: string;
  /** With HTTP/2 in cleartext: the h2c port's URL. */
  h2cUrl?: string;
}

/**
 * A reference server in its own process (`im-bench serve --json`), so its CPU and memory are
 * measured apart from the load generator. It has an IPC channel to this process and exits
 * when that closes, so a crashed harness leaves no server behind.
 */
export class ServerProcess {
  private stderrTail = '';
  private readonly exited: Promise<unknown>;

  private constructor(
    private readonly child: ChildProcess,
    readonly url: string,
    /** With HTTP/2 in cleartext: the h2c port's URL, where the HTTP techniques go. */
    readonly h2cUrl: string | undefined,
    /** Over TLS: the certificate its /stats is checked against. */
    private readonly trust: ClientTls | undefined,
  ) {
    this.exited = once(child, 'exit');
  }

  get pid(): number {
    return this.child.pid!;
  }

  static async start(options: ServerProcessOptions): Promise<ServerProcess> {
    const args = [
      CLI,
      'serve',
      '--json',
      '--port',
      String(options.port ?? 0),
      '--transport',
      options.transports.join(','),
      '--sse-retry',
      `${options.reconnectDelayMs}ms`,
      '--long-poll-timeout',
      `${options.longPollTimeoutMs}ms`,
      '--heartbeat',
      `${options.heartbeatMs}ms`,
      ...(options.journalPath === undefined ? [] : ['--journal', options.journalPath]),
      ...calibrationArgs(options),
      ...(options.tls === undefined ? [] : ['--tls-cert', options.tls.files.cert, '--tls-key', options.tls.files.key]),
      ...http2Args(options),
    ];
    const argv = [...options.prefix, process.execPath, ...args];
    // Its own process group: a Ctrl-C at the terminal reaches the harness only, which then stops
    // the server itself, after counting what it measured.
    const child = spawn(argv[0]!, argv.slice(1), { stdio: ['ignore', 'pipe', 'pipe', 'ipc'], detached: true });
    trackChildProcess(child);
    let stderr = '';
    child.stderr!.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-STDERR_KEPT)));

    const failed = (why: string): ImBenchError =>
      new ImBenchError(
        'IMB_ERR_SERVER_START',
        `the reference server (${argv.join(' ')}) ${why}${stderr === '' ? '' : `:\n${stderr.trim()}`}`,
      );
    const ready = await new Promise<ReadyLine>((resolve, reject) => {
      let stdout = '';
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        reject(failed(`printed no ready line within ${READY_TIMEOUT_MS / 1000} s`));
      }, READY_TIMEOUT_MS);
      child.stdout!.on('data', (chunk: Buffer) => {
        stdout += chunk.toString();
        const end = stdout.indexOf('\n');
        if (end === -1) return;
        clearTimeout(timer);
        try {
          resolve(JSON.parse(stdout.slice(0, end)) as ReadyLine);
        } catch {
          reject(failed(`printed an unexpected ready line ${JSON.stringify(stdout.slice(0, end))}`));
        }
      });
      child.once('error', (error) => {
        clearTimeout(timer);
        reject(failed(`could not be started (${error.message})`));
      });
      child.once('exit', (code, signal) => {
        clearTimeout(timer);
        reject(failed(`exited before it was ready (${signal ?? `code ${code}`})`));
      });
    });
    child.stdout!.resume();
    const server = new ServerProcess(
      child,
      ready.url,
      ready.h2cUrl,
      options.tls === undefined ? undefined : { ca: options.tls.cert },
    );
    child.stderr!.on(
      'data',
      (chunk: Buffer) => (server.stderrTail = (server.stderrTail + chunk.toString()).slice(-STDERR_KEPT)),
    );
    return server;
  }

  stats(timeoutMs = STATS_TIMEOUT_MS): Promise<ServerStats> {
    return requestStats(this.url, timeoutMs, this.trust);
  }

  /** What the server wrote on stderr lately (internal errors), for diagnosis. */
  get stderr(): string {
    return this.stderrTail;
  }

  get port(): number {
    return Number(new URL(this.url).port);
  }

  get h2cPort(): number | undefined {
    return this.h2cUrl === undefined ? undefined : Number(new URL(this.h2cUrl).port);
  }

  /** SIGKILL: the fault of a server that dies without a word. */
  async kill(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    this.child.kill('SIGKILL');
    await this.exited;
  }

  /** SIGTERM, then SIGKILL if it has not exited in time. */
  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), STOP_TIMEOUT_MS);
    await this.exited;
    clearTimeout(timer);
  }
}
