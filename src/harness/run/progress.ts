import type { TransportName } from '../../document/scenario.js';

export type RunPhase = 'starting' | 'connecting' | 'warm-up' | 'measuring' | 'draining' | 'done';

/** A snapshot for a progress display; the run only emits these, it never draws them. */
export interface Progress {
  transport: TransportName;
  /** The kind of server, when not the reference server. */
  profile?: string;
  phase: RunPhase;
  clients: number;
  connected: number;
  failed: number;
  /** Copies delivered of messages scheduled inside the window, so far. */
  delivered: number;
  errors: number;
  /** Time into the measurement window, and its length, ms. */
  measuredMs: number;
  windowMs: number;
}
