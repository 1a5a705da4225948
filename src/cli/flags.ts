/** Flags exactly as commander hands them over: strings, validated later in options.ts. */
export interface ServeFlags {
  transport: string;
  host: string;
  port: string;
  ring: string;
  maxMessage: string;
  allowOrigin?: string[];
  /** Every `--allow-host` given, each possibly a comma-separated list. */
  allowHost?: string[];
  heartbeat: string;
  sseRetry: string;
  longPollTimeout: string;
  journal?: string;
  journalFsync?: boolean;
  calibrateDelay?: string;
  calibrateCpu?: string;
  tlsCert?: string;
  tlsKey?: string;
  http2?: boolean;
  h2cPort?: string;
  json?: boolean;
}

/** `run` flags: the scenario fields by their camel-cased names (`pollInterval`), plus these. */
export interface RunFlags {
  scenario?: string;
  server?: string;
  target?: string;
  profile?: string;
  serverPid?: string;
  serverWorkers?: string;
  capacity?: string;
  allowRemote?: boolean;
  repeat: string;
  pin: string;
  publishWait: string;
  workers: string;
  localAddress: string;
  shard?: string;
  calibrateDelay?: string;
  calibrateCpu?: string;
  tls?: boolean;
  ca?: string;
  http2?: boolean;
  h2Multiplex?: string;
  via?: string;
  format?: string;
  json?: boolean;
  out?: string[];
  quiet?: boolean;
  /** `run` only: every `--threshold` given. */
  threshold?: string[];
  [scenarioField: string]: string | string[] | boolean | undefined;
}

export interface CapacityFlags {
  transport: string;
  connections: string;
  duration: string;
  warmup: string;
  pin: string;
  json?: boolean;
  out?: string;
  quiet?: boolean;
}

export interface ReportFlags {
  format?: string;
  out?: string[];
}

export interface MergeFlags {
  format: string;
  out?: string[];
}

export interface CompareFlags {
  threshold?: string;
  alpha: string;
  format: string;
  allowMismatch?: boolean;
}

/** Ends the process with the exit code an action resolves to. */
export type Exit = (code: Promise<number>) => Promise<void>;

export interface CommandActions {
  serve(flags: ServeFlags): Promise<number>;
  run(flags: RunFlags): Promise<number>;
  sweep(flags: RunFlags): Promise<number>;
  capacity(flags: CapacityFlags): Promise<number>;
  report(file: string, flags: ReportFlags): Promise<number>;
  compare(base: string, head: string, flags: CompareFlags): Promise<number>;
  merge(files: string[], flags: MergeFlags): Promise<number>;
  /** Every built-in with its values, or (`name`) one built-in's file as written. */
  scenarios(name?: string): Promise<number>;
}
