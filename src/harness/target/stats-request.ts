import { Agent, request } from 'undici';
import { ImBenchError } from '../../core/errors.js';
import type { ServerStats } from '../../server/server-options.js';
import { authorityOf, type ClientTls, forgetSecureContext } from '../../transports/shared/plain-connection.js';

/** GET /stats of any server that speaks the contract; over TLS, its certificate checked as `tls` says. */
export async function requestStats(url: string, timeoutMs: number, tls?: ClientTls): Promise<ServerStats> {
  const response = await request(`${url}/stats`, {
    headersTimeout: timeoutMs,
    bodyTimeout: timeoutMs,
    ...(tls === undefined ? {} : { dispatcher: trustingAgent(tls) }),
    ...(tls?.servername === undefined ? {} : { headers: { host: authorityOf(new URL(url), tls) } }),
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

const trustingAgents = new Map<string, Agent>();

const keyOf = (tls: ClientTls): string => JSON.stringify([tls.ca ?? null, tls.servername ?? null]);

/** Closes what checking certificates as `tls` says kept open (its run is over): the HTTP agent, the TLS context. */
export function forgetTrust(tls: ClientTls): void {
  const key = keyOf(tls);
  void trustingAgents.get(key)?.close();
  trustingAgents.delete(key);
  if (tls.ca !== undefined) forgetSecureContext(tls.ca);
}

/** One HTTP agent per way of checking certificates a run uses, kept until the run forgets it. */
function trustingAgent(tls: ClientTls): Agent {
  const key = keyOf(tls);
  let agent = trustingAgents.get(key);
  if (agent === undefined) {
    const { ca, servername } = tls;
    agent = new Agent({
      connect: { ...(ca === undefined ? {} : { ca }), ...(servername === undefined ? {} : { servername }) },
    });
    trustingAgents.set(key, agent);
  }
  return agent;
}
