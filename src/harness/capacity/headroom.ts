import type { CapacityResult } from '../../document/capacity.js';
import { POLLING_TRANSPORTS } from '../../transports/registry.js';
import type { Headroom, TransportResult } from '../../document/result.js';
import { measureCapacity } from './capacity.js';
import type { PinMode } from '../machine/placement.js';
import type { TransportName } from '../../document/scenario.js';

/** A ceiling measured just before a run (`run --capacity probe`): shorter than `im-bench capacity`'s default, so noisier. */
export const PROBE_SETTINGS = { connections: 100, durationMs: 2_000, warmupMs: 500 } as const;

/** Where a run's polling techniques find their ceilings: a capacity document, and how it came. */
export interface Ceilings {
  document: CapacityResult;
  source: Headroom['source'];
}

export function isPolling(name: TransportName): boolean {
  return POLLING_TRANSPORTS.includes(name);
}

/** The ceiling for a technique's polls, requests/s; undefined when the document did not measure it. */
export function ceilingFor(document: CapacityResult, transport: TransportName): number | undefined {
  return document.techniques.find((technique) => technique.transport === transport)?.requests.perSecond;
}

/** The scenario's request rate in the window beside the ceiling; undefined for a technique without one. */
export function headroomOf(result: TransportResult, ceilings: Ceilings): Headroom | undefined {
  const ceilingPerSecond = ceilingFor(ceilings.document, result.transport);
  if (ceilingPerSecond === undefined || ceilingPerSecond <= 0) return undefined;
  const requestsPerSecond = result.windowSeconds > 0 ? result.requests.inWindow / result.windowSeconds : 0;
  return {
    ceilingPerSecond,
    requestsPerSecond,
    ratio: requestsPerSecond / ceilingPerSecond,
    source: ceilings.source,
    measuredAt: ceilings.document.startedAt,
  };
}

/** The result with its headroom, when there is a ceiling for its technique. */
export function withHeadroom(result: TransportResult, ceilings: Ceilings | undefined): TransportResult {
  const headroom = ceilings === undefined ? undefined : headroomOf(result, ceilings);
  return headroom === undefined ? result : { ...result, headroom };
}

export interface CeilingOptions {
  /** Ceilings at hand (a saved capacity document), or `probe` to measure the polling techniques first. */
  capacity: Ceilings | 'probe';
  transports: readonly TransportName[];
  pin?: PinMode;
  signal?: AbortSignal;
  onWarning?: (warning: string) => void;
}

/**
 * The ceilings for a run's polling techniques: from the document given, or probed now on a
 * fresh server each. Undefined when the run has no polling technique. Warns about a polling
 * technique the document has no ceiling for.
 */
export async function resolveCeilings(options: CeilingOptions): Promise<Ceilings | undefined> {
  const polling = options.transports.filter(isPolling);
  if (polling.length === 0) return undefined;
  const ceilings: Ceilings =
    options.capacity === 'probe'
      ? {
          document: await measureCapacity({
            ...PROBE_SETTINGS,
            transports: polling,
            pin: options.pin,
            signal: options.signal,
            onWarning: options.onWarning,
          }),
          source: 'probe',
        }
      : options.capacity;
  const missing = polling.filter((transport) => ceilingFor(ceilings.document, transport) === undefined);
  if (missing.length > 0 && options.signal?.aborted !== true) {
    options.onWarning?.(`the capacity document has no ceiling for ${missing.join(' or ')}: no headroom for it`);
  }
  return ceilings;
}
