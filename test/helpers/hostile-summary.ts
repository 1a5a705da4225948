import { existsSync, readFileSync, rmSync } from 'node:fs';
import { TALLY_FOLDER, type HostileClass } from '../hostile/tally.js';

interface SuiteCounts {
  hostileClass: HostileClass;
  suite: string;
  tried: number;
  documented: number;
  crashes: number;
}

const CLASSES: readonly HostileClass[] = ['server input', 'journal', 'harness', 'signals'];

/** The per-class totals of every hostile suite that ran, one line each, then the grand total. */
export function formatSummary(counts: readonly SuiteCounts[]): string {
  const lines = ['hostile cases by class:'];
  const total = { tried: 0, documented: 0 };
  for (const hostileClass of CLASSES) {
    const suites = counts.filter((count) => count.hostileClass === hostileClass);
    const tried = suites.reduce((sum, count) => sum + count.tried, 0);
    const documented = suites.reduce((sum, count) => sum + count.documented, 0);
    total.tried += tried;
    total.documented += documented;
    lines.push(
      `  ${hostileClass.padEnd(12)} ${String(tried).padStart(4)} tried, ${String(documented).padStart(4)} as documented, ` +
        `${tried - documented} unexpected (${suites.length} suites)`,
    );
  }
  lines.push(
    `  ${'all'.padEnd(12)} ${String(total.tried).padStart(4)} tried, ${total.tried - total.documented} unexpected`,
  );
  return lines.join('\n');
}

/** Vitest global setup: starts the count afresh, and prints it per class when the run ends. */
export default function setup(): () => void {
  rmSync(TALLY_FOLDER, { recursive: true, force: true });
  return () => {
    const file = `${TALLY_FOLDER}/counts.jsonl`;
    if (!existsSync(file)) return;
    const counts = readFileSync(file, 'utf8')
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => JSON.parse(line) as SuiteCounts);
    console.log(formatSummary(counts));
  };
}
