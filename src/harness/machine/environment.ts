import { execFileSync } from 'node:child_process';
import { realpathSync } from 'node:fs';
import os from 'node:os';
import { PACKAGE_ROOT } from '../../core/paths.js';
import type { Environment } from '../../document/result.js';
import { CLEARTEXT_DIRECT, type Deployment, type ProxyKind } from '../../document/header.js';
import type { Placement } from './placement.js';

export function describeEnvironment(placement: Placement | null, target: URL | null = null): Environment {
  return {
    node: process.version,
    os: `${os.type()} ${os.release()}`,
    platform: process.platform,
    arch: process.arch,
    cpuModel: os.cpus()[0]?.model.trim() || 'unknown',
    // The machine's CPUs: availableParallelism() counts only those this process may use, which pinning narrows.
    cores: os.cpus().length,
    totalMemoryBytes: os.totalmem(),
    gitSha: gitSha(PACKAGE_ROOT),
    target: target === null ? null : target.origin,
    placement: placement ? { server: placement.server, generator: placement.generator } : null,
  };
}

/**
 * The shape of what a run measures, straight to the server or through a proxy (`via`): over TLS or not, HTTP/1.1 or HTTP/2
 * (h2 over TLS, h2c without), and how many clients share an HTTP/2 connection when more than one.
 */
export function deploymentOf(
  tls: boolean,
  http2?: { multiplex: number },
  via: ProxyKind | 'none' = 'none',
): Deployment {
  if (http2 === undefined) return { ...CLEARTEXT_DIRECT, tls, via };
  return {
    tls,
    http: tls ? 'h2' : 'h2c',
    ...(http2.multiplex > 1 ? { h2Multiplex: http2.multiplex } : {}),
    via,
  };
}

/**
 * HEAD of the checkout `root` is the top of; null otherwise (no git, not a checkout). An
 * installed copy under node_modules lives inside its user's repository, whose sha is not ours.
 */
export function gitSha(root: string): string | null {
  try {
    const output = execFileSync('git', ['rev-parse', '--show-toplevel', 'HEAD'], {
      cwd: root,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
      timeout: 2_000,
    });
    const [topLevel, sha] = output.trim().split('\n');
    if (!topLevel || !sha || !/^[0-9a-f]{40,64}$/.test(sha)) return null;
    return realpathSync(topLevel) === realpathSync(root) ? sha : null;
  } catch {
    return null;
  }
}
