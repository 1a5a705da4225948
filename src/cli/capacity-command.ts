import { EXIT_CODES, type ExitCode } from '../core/constants.js';
import { measureCapacity } from '../harness/capacity/capacity.js';
import type { PinMode } from '../harness/machine/placement.js';
import type { CapacityResult } from '../document/capacity.js';
import type { TransportName } from '../document/scenario.js';
import { serializeCapacityJson } from '../report/exporters/capacity-json.js';
import { serializeCapacityTable } from '../report/exporters/capacity-table.js';
import { OutputFiles, type Rendering } from '../report/output-files.js';
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

/**
 * `im-bench capacity`: the library's measureCapacity(), its document written to --out as it grows
 * (to a fallback file, and exit 4, if --out cannot be written), then printed.
 */
export async function capacityCommand(options: CapacityCommandOptions): Promise<ExitCode> {
  const outputs = new OutputFiles(options.out === undefined ? [] : [options.out], 'capacity');
  const rendering = (document: CapacityResult): Rendering => {
    const json = serializeCapacityJson(document);
    return { forPath: () => json, json: () => json };
  };
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
        for (const warning of await outputs.write(rendering(partial))) session.onWarning(warning);
      },
    }),
  );
  await outputs.write(rendering(result));
  process.stdout.write(options.json ? serializeCapacityJson(result) : serializeCapacityTable(result));
  outputs.finish();
  return result.aborted ? EXIT_CODES.aborted : EXIT_CODES.ok;
}
