import { Agent, request } from 'undici';
import { ImBenchError } from '../../core/errors.js';
import type { ServerStats } from '../../server/server-options.js';
import type { ClientTls } from '../../transports/shared/plain-connection.js';

/** GET /stats of any server that speaks the contract; over TLS, its certificate checked as `tls` says. */
export async function requestStats(url: string, timeoutMs: number, tls?: ClientTls): Promise<ServerStats> {
  const response = await request(`${url}/stats`, {
    headersTimeout: timeoutMs,
    bodyTimeout: timeoutMs,
    ...(tls === undefined ? {} : { dispatcher: trustingAgent(tls) }),
  });
  if (response.statusCode !== 200) {
    await response.body.dump();
    throw new ImBenchError(
      'IMB_ERR_RUN_FAILED',
      `${url}/stats answered ${response.statusCode}: im-bench needs it to count what was published`,
    );
  }
  return (await response.body.json()) as ServerStats;
}

const trustingAgents = new Map<string, { tls: ClientTls; agent: Agent }>();

/** Closes the agents of a certificate no longer trusted (its run is over). */
export function forgetTrust(ca: string): void {
  for (const [key, { tls, agent }] of trustingAgents) {
    if (tls.ca !== ca) continue;
    void agent.close();
    trustingAgents.delete(key);
  }
}

/** One HTTP agent per way of checking certificates a run uses, kept until the run forgets it. */
function trustingAgent(tls: ClientTls): Agent {
  const key = JSON.stringify([tls.ca ?? null, tls.servername ?? null]);
  let entry = trustingAgents.get(key);
  if (entry === undefined) {
    const connect = {
      ...(tls.ca === undefined ? {} : { ca: tls.ca }),
      ...(tls.servername === undefined ? {} : { servername: tls.servername }),
    };
    entry = { tls, agent: new Agent({ connect }) };
    trustingAgents.set(key, entry);
  }
  return entry.agent;
}
