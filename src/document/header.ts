import { VERSION } from '../core/version.js';

export interface Environment {
  node: string;
  os: string;
  platform: string;
  arch: string;
  cpuModel: string;
  cores: number;
  totalMemoryBytes: number;
  gitSha: string | null;
  /** The server driven when it was not one im-bench started (`--target`), else null. */
  target: string | null;
  /** CPU placement: which cores the server and the generator were pinned to, or null when not pinned. */
  placement: { server: string; generator: string } | null;
  /** How the clients were held: worker processes (`--workers`) and source addresses (`--local-address`). */
  generator?: { workers: number; localAddresses: string[] };
  /** The shape of the deployment measured: TLS or not, the HTTP version, a proxy in front. Absent before these existed (cleartext HTTP/1.1, direct). */
  deployment?: Deployment;
}

export interface Deployment {
  tls: boolean;
  /**
   * The HTTP techniques' protocol: h2 (HTTP/2 over TLS, by ALPN) or h2c (in cleartext, prior
   * knowledge). The WebSocket upgrades an HTTP/1.1 connection whatever this says.
   */
  http: 'http/1.1' | 'h2' | 'h2c';
  /** Over HTTP/2: how many clients shared one connection, when more than one (`--h2-multiplex`). */
  h2Multiplex?: number;
  /** A reverse proxy between the clients and the server (`--via`), which TLS and HTTP/2 end at. */
  via: 'none' | ProxyKind;
}

/** The reverse proxies `run --via` puts in front: nginx configured for push, and nginx with its defaults. */
export const PROXY_KINDS = ['nginx', 'nginx-defaults'] as const;
export type ProxyKind = (typeof PROXY_KINDS)[number];

/** Cleartext HTTP/1.1 straight to the server: what a document without `deployment` measured. */
export const CLEARTEXT_DIRECT: Deployment = { tls: false, http: 'http/1.1', via: 'none' };

/** What every document im-bench writes (run, sweep, capacity) starts with. */
export interface DocumentHeader<Schema extends string> {
  /** Names the document's shape and its version, such as `im-bench/result@1`. */
  schema: Schema;
  tool: { name: 'im-bench'; version: string };
  startedAt: string;
  finishedAt: string;
  /** True until the measurement finished, and after if it was interrupted: the figures cover what was done. */
  aborted: boolean;
  environment: Environment;
}

/**
 * The header of a document a measurement is about to fill: started now, marked aborted until
 * `finishHeader` says otherwise, so a copy written along the way never passes for a whole one.
 */
export function startHeader<Schema extends string>(schema: Schema, environment: Environment): DocumentHeader<Schema> {
  return {
    schema,
    tool: { name: 'im-bench', version: VERSION },
    startedAt: new Date().toISOString(),
    finishedAt: '',
    aborted: true,
    environment,
  };
}

/** Stamps the time; `aborted` says whether the figures are still short of the whole measurement. */
export function finishHeader(header: DocumentHeader<string>, aborted: boolean): void {
  header.finishedAt = new Date().toISOString();
  header.aborted = aborted;
}
