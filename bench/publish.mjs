// The load every generator in bench/ receives: im-bench's own schedule and publisher, so it is
// the same whoever subscribes. Messages go out as `POST /publish` over keep-alive connections on
// a fixed schedule (an open model), each stamped with the time it was due (`t`, hrtime ns).
import { hrtimeString } from '../dist/core/clock.js';
import { PublishClient, WIRE_CONTRACT_ROUTE } from '../dist/harness/publish/publish-client.js';
import { ScheduleTimer } from '../dist/harness/publish/schedule-timer.js';
import { buildSchedule } from '../dist/harness/publish/schedule.js';

/**
 * Publishes `rate` messages a second for `spanMs`, starting at `startNs` (hrtime), on one
 * channel. Resolves once every publish was answered: how many the server took, and the last
 * sequence number it gave, which is what every subscriber must end up holding. `route` is a
 * profile's publish request (publishRouteOf); a publisher-numbered route gets the envelope's
 * fields and writes the seq in, as im-bench's publisher does.
 */
export async function publishOnSchedule(
  url,
  { rate, spanMs, startNs, payloadBytes = 100, channel = 'default', route = WIRE_CONTRACT_ROUTE },
) {
  const errors = new Set();
  const sink = new PublishClient(url, (error) => errors.size < 5 && errors.add(error.message), route);
  const data = 'x'.repeat(payloadBytes);
  const schedule = buildSchedule({ pattern: 'constant', rate, burstSize: 1, spanMs });
  // The timer alone: this process shares the machine with the generators measured, and a
  // spinning publisher would take CPU from them (their latencies count from the due time either way).
  const publisher = new ScheduleTimer(
    schedule,
    startNs,
    (_index, dueNs) => {
      const message = { ch: channel, from: null, data, t: hrtimeString(dueNs) };
      sink.publish(sink.numbers ? message : JSON.stringify(message), channel);
    },
    { wait: 'coarse' },
  );
  publisher.start();
  await publisher.done;
  await sink.settled(5_000);
  await sink.close();
  let lastSeq = 0;
  for (const channels of sink.acknowledged.values()) lastSeq = Math.max(lastSeq, channels.get(channel) ?? 0);
  return { sent: publisher.sent, accepted: sink.accepted, failed: sink.failed, lastSeq, errors: [...errors] };
}

/**
 * Polls the server's /stats until `count` connections of `technique` are open; false at the
 * deadline, or as soon as `giveUp()` says so (the clients' process is gone).
 */
export async function waitForConnections(url, technique, count, timeoutMs, giveUp = () => false) {
  const deadline = performance.now() + timeoutMs;
  while (performance.now() < deadline && !giveUp()) {
    try {
      const stats = await (await fetch(`${url}/stats`, { signal: AbortSignal.timeout(5_000) })).json();
      if ((stats.connections?.[technique] ?? 0) >= count) return true;
    } catch {
      // Busy or not up yet: ask again.
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return false;
}
