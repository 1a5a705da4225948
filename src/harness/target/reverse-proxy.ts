import { existsSync, readFileSync } from 'node:fs';
import { ImBenchError } from '../../core/errors.js';
import { packagePath } from '../../core/paths.js';
import type { ProxyKind } from '../../document/header.js';
import { renderTemplate } from '../../profiles/config-template.js';
import type { ServerLifecycle } from '../../profiles/profile.js';
import { freePort, ProfileServer } from '../../profiles/profile-server.js';
import { TreeSampler } from '../machine/process-tree.js';
import type { ProcessUsage } from '../machine/process-usage.js';
import type { ServerTls } from './server-process.js';

const NGINX = '/usr/sbin/nginx';
const NGINX_INSTALL = 'apt-get install nginx-light';
/** Beyond the long-poll timeout and the heartbeat: a held poll or a quiet stream is never cut by nginx. */
const READ_TIMEOUT_MARGIN_S = 30;

export interface ReverseProxyOptions {
  kind: ProxyKind;
  /** `host:port` of the server under test, in cleartext HTTP/1.1. */
  upstream: string;
  /** TLS terminated at nginx, with the run's certificate. */
  tls?: ServerTls;
  /** HTTP/2 at nginx: h2 with TLS, h2c on a port of its own without. */
  http2: boolean;
  longPollTimeoutMs: number;
  /** The server's heartbeat: a stream or WebSocket is silent this long between two. */
  heartbeatMs: number;
  /** argv placed before nginx (CPU pinning). */
  prefix: readonly string[];
}

function lifecycle(kind: ProxyKind): ServerLifecycle {
  return {
    command: [NGINX, '-p', '{prefix}/', '-c', '{config}', '-e', 'stderr'],
    profileDir: packagePath('proxies'),
    configTemplate: packagePath('proxies', `${kind}.conf`),
    readyPath: '/proxy-ready',
    stopSignal: 'SIGQUIT',
    requiredFiles: [NGINX],
    install: NGINX_INSTALL,
    tls: undefined,
  };
}

/** One `server { }` of the proxy: where it listens, TLS when it terminates it, and the kind's location. */
function serverBlock(listen: string, tls: ServerTls | undefined, location: string): string {
  const lines = [`listen ${listen};`];
  if (tls !== undefined)
    lines.push(
      `ssl_certificate ${tls.files.cert};`,
      `ssl_certificate_key ${tls.files.key};`,
      'ssl_protocols TLSv1.2 TLSv1.3;',
    );
  const body = [...lines, ...location.trimEnd().split('\n')].map((line) => `    ${line}`).join('\n');
  return `server {\n${body}\n  }`;
}

/**
 * nginx between the clients and the server under test (`run --via`), started in a temporary
 * prefix like a profile's server. TLS and HTTP/2 end at nginx; the origin behind it speaks
 * cleartext HTTP/1.1. Its processes' CPU and memory are read apart from the origin's.
 */
export class ReverseProxy {
  private readonly sampler: TreeSampler;

  private constructor(
    private readonly process: ProfileServer,
    /** Where the clients go: HTTP/1.1, or h2 with TLS by ALPN. */
    readonly url: string,
    /** With HTTP/2 in cleartext: the h2c port's URL. */
    readonly h2cUrl: string | undefined,
  ) {
    this.sampler = new TreeSampler([process.pid]);
  }

  static async start(options: ReverseProxyOptions): Promise<ReverseProxy> {
    if (!existsSync(NGINX))
      throw new ImBenchError(
        'IMB_ERR_PREFLIGHT',
        `--via ${options.kind} needs ${NGINX}, not found on this machine; install with: ${NGINX_INSTALL}`,
      );
    const [port, h2cPort] = [await freePort(), await freePort()];
    const location = renderTemplate(
      readFileSync(packagePath('proxies', `${options.kind}.location`), 'utf8'),
      {
        upstream: options.upstream,
        'read-timeout': `${Math.ceil(Math.max(options.longPollTimeoutMs, options.heartbeatMs) / 1000) + READ_TIMEOUT_MARGIN_S}s`,
      },
      `${options.kind}.location`,
    );
    const { tls, http2 } = options;
    const secure = tls === undefined ? '' : ' ssl';
    const blocks = [
      serverBlock(`127.0.0.1:${port}${secure}${http2 && tls !== undefined ? ' http2' : ''}`, tls, location),
    ];
    // nginx's cleartext HTTP/2 port takes HTTP/2 only: the WebSocket keeps the HTTP/1.1 one.
    const h2c = http2 && tls === undefined;
    if (h2c) blocks.push(serverBlock(`127.0.0.1:${h2cPort} http2`, undefined, location));
    const process = await ProfileServer.startLifecycle(`proxy-${options.kind}`, lifecycle(options.kind), {
      values: { upstream: options.upstream, servers: blocks.join('\n  ') },
      prefix: options.prefix,
    });
    const scheme = tls === undefined ? 'http' : 'https';
    return new ReverseProxy(process, `${scheme}://127.0.0.1:${port}`, h2c ? `http://127.0.0.1:${h2cPort}` : undefined);
  }

  /** The proxy's processes (nginx's master and worker): CPU and memory, read off the event loop. */
  usage(complete = false): Promise<ProcessUsage> {
    return this.sampler.read(complete);
  }

  stop(): Promise<void> {
    return this.process.stop();
  }
}
