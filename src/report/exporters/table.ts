import { abortNote, calibrationNote, describeProblems, shardNote } from '../caveats.js';
import { formatBytes, formatInteger, formatTrimmed } from '../format.js';
import { describeFault, describeDeployment } from '../describe.js';
import { rowsFor } from '../rows.js';
import { textTables } from './text-table.js';
import { modelFindings } from '../findings.js';
import { proxyNotes, proxyNotesTitle } from '../proxy-notes.js';
import { describeModelInputs } from '../model.js';
import { thresholdLines } from '../thresholds/describe.js';
import { crossServerTables, namesServers, runOnServer, serverHeading, serversOf } from '../servers.js';
import { formatDuration } from '../../scenario/duration.js';
import type { RunResult } from '../../document/result.js';
import type { Scenario } from '../../document/scenario.js';

/**
 * The scenario, then the side-by-side table of each kind of server measured (one table per
 * server, split where it would pass 80 columns), then each headline figure across the servers, then thresholds.
 */
export function serialize(result: RunResult): string {
  const deployment = describeDeployment(result.environment);
  const lines = [describeScenario(result.scenario) + (deployment === null ? '' : `, ${deployment}`)];
  for (const note of [calibrationNote(result), shardNote(result), abortNote(result)])
    if (note !== null) lines.push(note);
  if (result.repeat > 1) {
    lines.push(
      `Each column is the repetition with the median p99 of ${result.repeat}; --format md or html shows the ranges.`,
    );
  }
  if (!namesServers(result)) lines.push(...serverLines(result));
  else
    for (const server of serversOf(result))
      lines.push('', `Server: ${serverHeading(result, server)}`, ...serverLines(runOnServer(result, server)));
  for (const cross of crossServerTables(result))
    lines.push('', `${cross.title}, by server`, ...textTables(cross.head, cross.rows));
  const notes = proxyNotes(result);
  if (notes.length > 0) lines.push('', `${proxyNotesTitle()}:`, ...notes.map((note) => `  ${note}`));
  if (result.thresholds !== undefined && result.thresholds.length > 0) lines.push(...thresholdLines(result.thresholds));
  return `${lines.join('\n')}\n`;
}

/** One kind of server's table, its warnings and its model inputs. */
function serverLines(result: RunResult): string[] {
  const { transports } = result;
  if (transports.length === 0) return ['No technique completed.'];
  const rows = rowsFor(transports).map(([label, cell]) => [label, ...transports.map(cell)]);
  const lines = textTables(['', ...transports.map((t) => t.transport)], rows);
  for (const transport of transports) {
    const warning = describeProblems(transport);
    if (warning !== null) lines.push(warning);
  }
  lines.push(...modelLines(result));
  return lines;
}

/** The inputs the model measured, per technique, and whether any figure strayed from it (the checks are in md and html). */
function modelLines(result: RunResult): string[] {
  if (result.transports.length === 0) return [];
  if (result.transports.every((t) => t.bytes.wire === undefined))
    return [`Model inputs: ${describeModelInputs(result.transports[0]!)}.`, ...modelFindings(result)];
  const width = Math.max(...result.transports.map((t) => t.transport.length));
  return [
    'Model inputs measured (--format md or html shows each check):',
    ...result.transports.map((t) => `  ${t.transport.padEnd(width)}  ${describeModelInputs(t)}`),
    ...modelFindings(result),
  ];
}

function describeScenario(scenario: Scenario): string {
  const rate = `${formatTrimmed(scenario.rate)} msg/s ${scenario.pattern}`;
  const settings = [
    `${formatInteger(scenario.clients)} clients`,
    scenario.pattern === 'burst' ? `${rate} (bursts of ${formatInteger(scenario.burstSize)})` : rate,
    `${formatBytes(scenario.payloadBytes)} payload`,
    `${formatDuration(scenario.durationMs)} measured`,
  ];
  if (scenario.channels > 1) settings.push(`${formatInteger(scenario.channels)} channels`);
  if (scenario.publisher === 'clients') settings.push('clients publish');
  const fault = describeFault(scenario);
  if (fault !== null) settings.push(fault);
  return `Scenario ${scenario.name}: ${settings.join(', ')}`;
}
