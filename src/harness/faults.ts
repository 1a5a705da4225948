import { hrtimeNs } from '../core/clock.js';
import type { FaultKind } from '../scenario/types.js';
import type { ClientPool, PooledClient } from './client-pool.js';

export interface FaultActions {
  /** Kills the server (SIGKILL) and starts it again on the same port. */
  restartServer(): Promise<void>;
}

export interface Struck {
  atNs: number;
  affected: readonly PooledClient[];
}

/**
 * Strikes the scenario's fault. `restart` hits every client; `drop` cuts the connections of
 * a share of them, which must reconnect and resume; `slow` makes a share stop reading for
 * the rest of the run, and leaves them out of delivery and loss (they are the load on the
 * server's buffers, not the ones being served).
 */
export async function strike(kind: Exclude<FaultKind, 'none'>, share: number, pool: ClientPool, actions: FaultActions): Promise<Struck> {
  const atNs = hrtimeNs();
  switch (kind) {
    case 'restart': {
      const affected = pool.connectedMembers;
      pool.strike(atNs, affected);
      await actions.restartServer();
      return { atNs, affected };
    }
    case 'drop': {
      const affected = pool.pick(share);
      pool.strike(atNs, affected);
      for (const member of affected) member.client.meter.dropConnections();
      return { atNs, affected };
    }
    case 'slow': {
      const affected = pool.pick(share);
      for (const member of affected) {
        member.excluded = true;
        member.client.meter.stopReading();
      }
      return { atNs, affected };
    }
  }
}
