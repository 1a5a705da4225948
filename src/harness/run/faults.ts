import { hrtimeNs } from '../../core/clock.js';
import type { FaultKind } from '../../document/scenario.js';
import type { ClientGroup } from '../generator/client-group.js';

export interface FaultActions {
  /** Kills the server (SIGKILL), runs `onKilled`, and starts it again on the same port. */
  restartServer(onKilled: () => Promise<void>): Promise<void>;
}

export interface Struck {
  atNs: number;
  affected: number;
}

/**
 * Strikes the scenario's fault (see ClientPool.strikeFault for what each does to the clients).
 * A restart is timed from the kill itself: the clients are marked first with no time, so a
 * copy arriving before the server is down cannot pass for a recovery; the time is set once it
 * is down, before the new server starts.
 */
export async function strike(
  kind: Exclude<FaultKind, 'none'>,
  share: number,
  group: ClientGroup,
  actions: FaultActions,
): Promise<Struck> {
  if (kind !== 'restart') {
    const atNs = hrtimeNs();
    return { atNs, affected: await group.strikeFault(kind, share, atNs) };
  }
  const affected = await group.strikeFault(kind, share, Number.POSITIVE_INFINITY);
  let atNs = Number.NaN;
  await actions.restartServer(async () => {
    atNs = hrtimeNs();
    await group.setFaultTime(atNs);
  });
  return { atNs, affected };
}
