import type { TransportName } from '../document/scenario.js';
import type { SubscribeDialect } from '../transports/dialect.js';

/** Who numbers the messages: the server (the wire contract's `202 {"seq"}`), or im-bench's publisher, per channel. */
export const NUMBERINGS = ['server', 'publisher'] as const;
export type Numbering = (typeof NUMBERINGS)[number];

/**
 * Where the server's CPU and RSS come from: the wire contract's `GET /stats`; /proc of the
 * processes im-bench started (every one: nginx's master and its workers); the pids given with
 * `--server-pid`; or nowhere, which reports print as "not measured" (JSON null), never 0.
 */
export const FIGURE_SOURCES = ['stats', 'process-tree', 'pids', 'none'] as const;
export type FigureSource = (typeof FIGURE_SOURCES)[number];

export const STOP_SIGNALS = ['SIGTERM', 'SIGQUIT', 'SIGINT'] as const;
export type StopSignal = (typeof STOP_SIGNALS)[number];

/**
 * The name of the one log a profile's server keeps, as far as im-bench can tell: only the
 * reference server names its logs (an epoch that changes when it restarts without its journal).
 */
export const PROFILE_EPOCH = 'profile';

/**
 * In a chat against a server the publisher numbers for, each sender numbers its own messages:
 * the clients keep one account per sender, as if each sender's messages were a log of their own.
 */
export function senderLog(from: string): string {
  return `${PROFILE_EPOCH}:${from}`;
}

export function isSenderLog(epoch: string): boolean {
  return epoch.startsWith(`${PROFILE_EPOCH}:`);
}

export interface PublishDialect {
  readonly method: 'POST' | 'PUT';
  /** Path template, `{ch}` for the channel. */
  readonly path: string;
  readonly contentType: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly numbering: Numbering;
}

/** What a server im-bench starts may speak over TLS, chosen by ALPN: HTTP/1.1 always (the WebSocket, the publisher). */
export const TLS_PROTOCOLS = ['http/1.1', 'h2'] as const;
export type TlsProtocol = (typeof TLS_PROTOCOLS)[number];

/** How im-bench starts a server of this kind itself (`run --server NAME`). */
export interface ServerLifecycle {
  /**
   * argv: `{prefix}` is the run's temporary folder (also its working folder), `{port}` the port,
   * `{config}` the written config file, `{profile-dir}` the folder of the profile file.
   */
  readonly command: readonly string[];
  /** The folder of the profile file, for `{profile-dir}`. */
  readonly profileDir: string;
  /** Absolute path of the config template (beside the profile file); its `{{placeholders}}` are filled into the prefix. */
  readonly configTemplate: string | undefined;
  /** A GET path that answers 2xx once the server is ready. */
  readonly readyPath: string;
  readonly stopSignal: StopSignal;
  /** Files the server needs, and the command that installs them: a missing one is exit 2 with that command. */
  readonly requiredFiles: readonly string[];
  readonly install: string | undefined;
  /**
   * Served over TLS with the run's certificate (`run --tls`), with these protocols by ALPN:
   * its config's `{{#tls}}` sections (and `{{#http2}}` ones for h2) turn it on, with the
   * certificate and key files at `{{tls-cert}}` and `{{tls-key}}`. Undefined: cleartext only
   * (TLS then ends at a proxy in front, `--via`).
   */
  readonly tls: readonly TlsProtocol[] | undefined;
}

/** One kind of server, as `run --server` and `--profile` name it. */
export interface Profile {
  readonly name: string;
  readonly description: string;
  /** `built-in`, or the profile file as the user named it. */
  readonly source: string;
  /** The techniques the server offers, each with its dialect. */
  readonly techniques: ReadonlyMap<TransportName, SubscribeDialect>;
  readonly publish: PublishDialect;
  readonly figures: FigureSource;
  readonly server: ServerLifecycle | undefined;
}

/** True when a server im-bench starts from `profile` serves TLS itself, with `protocol` by ALPN. */
export function servesTls(profile: Profile, protocol: TlsProtocol = 'http/1.1'): boolean {
  return profile.server?.tls?.includes(protocol) === true;
}
