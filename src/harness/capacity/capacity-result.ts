import { type CapacityMeasurement, SATURATED_CPU, type Saturation } from '../../document/capacity.js';
import type { TransportName } from '../../document/scenario.js';
import type { CapacityProbe } from '../../transports/transport.js';
import type { LoadResult } from './load-generator.js';

/** What driving one endpoint recorded: the load's own counts and the CPU each side spent meanwhile. */
export interface CapacityCounters {
  transport: TransportName;
  probe: CapacityProbe;
  connections: number;
  load: LoadResult;
  /** Wall time between the two CPU readings. */
  wallSeconds: number;
  serverCpuSeconds: number;
  generatorCpuSeconds: number;
}

export function saturation(serverCpu: number, generatorCpu: number): Saturation {
  const server = serverCpu >= SATURATED_CPU;
  const generator = generatorCpu >= SATURATED_CPU;
  return server && generator ? 'both' : server ? 'server' : generator ? 'generator' : 'neither';
}

/** One technique's ceiling from what was recorded. Pure. */
export function assembleCapacityMeasurement(counters: CapacityCounters): CapacityMeasurement {
  const { load, probe, wallSeconds } = counters;
  const server = { cpuSeconds: counters.serverCpuSeconds, cpuUtilization: counters.serverCpuSeconds / wallSeconds };
  const generator = {
    cpuSeconds: counters.generatorCpuSeconds,
    cpuUtilization: counters.generatorCpuSeconds / wallSeconds,
  };
  return {
    transport: counters.transport,
    request: `GET ${probe.path}`,
    answer: { status: probe.status, messages: probe.messages },
    partial: load.stopped,
    connections: counters.connections,
    durationSeconds: load.durationSeconds,
    requests: {
      total: load.requests.total,
      perSecond: load.durationSeconds > 0 ? load.requests.total / load.durationSeconds : 0,
      samples: {
        count: load.requests.samples,
        mean: load.requests.mean,
        stddev: load.requests.stddev,
        min: load.requests.min,
        max: load.requests.max,
      },
      errors: load.errors,
      timeouts: load.timeouts,
      non2xx: load.non2xx,
    },
    latency: load.latency,
    latencyHistogram: load.latencyHistogram,
    server,
    generator,
    saturated: saturation(server.cpuUtilization, generator.cpuUtilization),
  };
}
