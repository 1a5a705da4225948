import { ImBenchError } from '../../core/errors.js';
import { scenarioFields } from '../../scenario/fields.js';
import { TRANSPORT_NAMES, TRANSPORTS } from '../../transports/registry.js';
import type { Scenario, TransportName } from '../../document/scenario.js';
import type { Environment, RunResult } from '../../document/result.js';
import { CLEARTEXT_DIRECT } from '../../document/header.js';
import { describeCalibration } from '../caveats.js';
import type { Difference } from '../../document/comparison.js';

/**
 * What may differ between the scenarios of two results whose figures are compared.
 * - `match`: the field changes what the figures mean (load, message size, fan-out shape,
 *   a technique's own setting); a difference makes the documents incomparable.
 * - `within-2x`: the measurement window. Every judged figure is a rate, a per-message cost,
 *   a percentile or a loss count, so a different length changes how precise a figure is, not
 *   what it means; beyond a factor of 2 the runs are of different kinds (a smoke run against
 *   a real one) and the shorter one's tail cannot be trusted against the longer one's.
 * - `note`: harness settings around the window (ramp-up, warm-up, drain) and the name; listed
 *   in the comparison, never fatal.
 * `technique`: the rule applies only when that technique is compared (the poll interval
 * means nothing to WebSocket); each technique names those fields in the registry
 * (`comparedFields`). `whenBoth`: only when both scenarios satisfy it.
 * `transports` and `description` have no rule: techniques are compared where both have them.
 */
export interface ScenarioRule {
  property: keyof Scenario;
  rule: 'match' | 'within-2x' | 'note';
  technique?: TransportName;
  whenBoth?: (scenario: Scenario) => boolean;
}

export const SCENARIO_RULES: readonly ScenarioRule[] = [
  { property: 'clients', rule: 'match' },
  { property: 'rate', rule: 'match' },
  { property: 'pattern', rule: 'match' },
  { property: 'burstSize', rule: 'match', whenBoth: (scenario) => scenario.pattern === 'burst' },
  { property: 'payloadBytes', rule: 'match' },
  { property: 'publisher', rule: 'match' },
  { property: 'channels', rule: 'match' },
  ...TRANSPORTS.flatMap((transport) =>
    transport.comparedFields.map((property): ScenarioRule => ({ property, rule: 'match', technique: transport.name })),
  ),
  { property: 'durationMs', rule: 'within-2x' },
  { property: 'rampUpMs', rule: 'note' },
  { property: 'warmupMs', rule: 'note' },
  { property: 'drainMs', rule: 'note' },
  { property: 'name', rule: 'note' },
];

function spell(property: keyof Scenario, value: unknown): { field: string; text: string } {
  const field = scenarioFields(TRANSPORT_NAMES).find((candidate) => candidate.property === property);
  if (field === undefined) return { field: property, text: String(value) };
  return { field: field.name, text: (field.format as (value: unknown) => string)(value) };
}

function difference(property: keyof Scenario, base: Scenario, head: Scenario): Difference {
  const baseSpelled = spell(property, base[property]);
  return { field: baseSpelled.field, base: baseSpelled.text, head: spell(property, head[property]).text };
}

/**
 * The tolerated differences between two scenarios whose `techniques` are compared; throws
 * IMB_ERR_INCOMPARABLE naming every field that must match and does not, with both values.
 */
export function checkScenarios(
  base: Scenario,
  head: Scenario,
  techniques: readonly TransportName[],
  names: { base: string; head: string },
): Difference[] {
  const fatal: Difference[] = [];
  const tolerated: Difference[] = [];
  const durationRatio = Math.max(base.durationMs, head.durationMs) / Math.min(base.durationMs, head.durationMs);
  for (const { property, rule, technique, whenBoth } of SCENARIO_RULES) {
    if (base[property] === head[property]) continue;
    if (technique !== undefined && !techniques.includes(technique)) continue;
    if (whenBoth !== undefined && !(whenBoth(base) && whenBoth(head))) continue;
    const fits = rule === 'note' || (rule === 'within-2x' && durationRatio <= 2);
    (fits ? tolerated : fatal).push(difference(property, base, head));
  }
  if (fatal.length > 0) {
    const fields = fatal.map((d) => `${d.field}: ${d.base} in ${names.base}, ${d.head} in ${names.head}`).join('; ');
    const why = fatal.some((d) => d.field === 'duration') ? ' (durations may differ by up to 2×)' : '';
    throw new ImBenchError(
      'IMB_ERR_INCOMPARABLE',
      `scenario mismatch, the figures would not mean the same thing: ${fields}${why}`,
    );
  }
  return tolerated;
}

/** TLS or cleartext, the HTTP version, the proxy: a document from before these were recorded was cleartext HTTP/1.1, direct. */
export function deploymentText(environment: Environment): string {
  const { tls, http, h2Multiplex, via } = environment.deployment ?? CLEARTEXT_DIRECT;
  const shared = h2Multiplex === undefined ? '' : ` (${h2Multiplex} clients per connection)`;
  return `${tls ? 'TLS' : 'cleartext'} ${http}${shared}, ${via === 'none' ? 'direct' : `via ${via}`}`;
}

/**
 * TLS, HTTP/2 or a proxy change what bytes, CPU and latency mean: two deployments are not
 * compared (exit 2) unless asked (`--allow-mismatch`), and then the difference is said.
 */
export function checkDeployments(
  base: Environment,
  head: Environment,
  names: { base: string; head: string },
  allowMismatch: boolean,
): Difference[] {
  const [before, after] = [deploymentText(base), deploymentText(head)];
  if (before === after) return [];
  if (!allowMismatch)
    throw new ImBenchError(
      'IMB_ERR_INCOMPARABLE',
      `deployment mismatch, the figures would not mean the same thing: ${before} in ${names.base}, ${after} in ${names.head} (--allow-mismatch compares them anyway)`,
    );
  return [{ field: 'deployment', base: before, head: after }];
}

const ENVIRONMENT_FIELDS = ['platform', 'arch', 'cpuModel', 'cores', 'node'] as const;

/** Machine differences: never fatal (a baseline is often from another runner), but worth saying. */
export function environmentDifferences(base: Environment, head: Environment): Difference[] {
  const differences: Difference[] = ENVIRONMENT_FIELDS.filter((field) => base[field] !== head[field]).map((field) => ({
    field,
    base: String(base[field]),
    head: String(head[field]),
  }));
  const placement = (environment: Environment): string =>
    environment.placement == null
      ? 'not pinned'
      : `server ${environment.placement.server}, generator ${environment.placement.generator}`;
  if (placement(base) !== placement(head))
    differences.push({ field: 'placement', base: placement(base), head: placement(head) });
  return differences;
}

/** The field of a calibration difference: compare's notes say the run was slowed on purpose, not that the machines differ. */
export const CALIBRATION_FIELD = 'calibration';

/**
 * A server slowed on purpose on one side (`run --calibrate-*`): never fatal, since comparing such
 * a pair is how compare is calibrated, but always said. Listed with the environment's differences.
 */
export function calibrationDifferences(base: RunResult, head: RunResult): Difference[] {
  const baseText = describeCalibration(base.calibration) ?? 'none';
  const headText = describeCalibration(head.calibration) ?? 'none';
  return baseText === headText ? [] : [{ field: CALIBRATION_FIELD, base: baseText, head: headText }];
}

/** Servers started with other worker counts (`--server-workers`): said, as a machine's differences are. */
export function serverDifferences(base: RunResult, head: RunResult): Difference[] {
  const workers = (result: RunResult): string =>
    (result.servers ?? [])
      .filter((server) => server.workers !== undefined)
      .map((server) => `${server.name}: ${server.workers} worker${server.workers === 1 ? '' : 's'}`)
      .join(', ') || 'default';
  return workers(base) === workers(head) ? [] : [{ field: 'server workers', base: workers(base), head: workers(head) }];
}
