import { EXIT_CODES, type ExitCode } from '../core/constants.js';
import { measureCapacity } from '../harness/capacity/capacity.js';
import type { PinMode } from '../harness/machine/placement.js';
import type { TransportName } from '../document/scenario.js';
import { serializeCapacityJson } from '../report/exporters/capacity-json.js';
import { serializeCapacityTable } from '../report/exporters/capacity-table.js';
import { writeReport } from '../report/result-file.js';
import { formatDuration } from '../scenario/duration.js';
import { formatInteger } from '../report/format.js';
import { inSession } from './session.js';

export interface CapacityCommandOptions {
  transports: TransportName[];
  connections: number;
  durationMs: number;
  warmupMs: number;
  pin: PinMode;
  json: boolean;
  out: string | undefined;
  quiet: boolean;
}

/** `im-bench capacity`: the library's measureCapacity(), its document written to --out as it grows, then printed. */
export async function capacityCommand(options: CapacityCommandOptions): Promise<ExitCode> {
  const { out } = options;
  const result = await inSession(options.quiet, (session) =>
    measureCapacity({
      ...options,
      signal: session.signal,
      onWarning: session.onWarning,
      onProgress: (progress) =>
        session.onStatus(
          `${progress.transport} · ${progress.phase} ${formatDuration(progress.durationMs)} · ${formatInteger(options.connections)} connections`,
        ),
      onTechniqueDone: async (partial) => {
        if (out !== undefined) await writeReport(out, serializeCapacityJson(partial));
      },
    }),
  );
  if (out !== undefined) await writeReport(out, serializeCapacityJson(result));
  process.stdout.write(options.json ? serializeCapacityJson(result) : serializeCapacityTable(result));
  return result.aborted ? EXIT_CODES.aborted : EXIT_CODES.ok;
}
