/** Plain-text descriptions of a run's setting, shared by the human-readable reports. */
import { formatDuration } from '../scenario/duration.js';
import type { Scenario } from '../document/scenario.js';
import { formatBytes, formatFigure, formatInteger, formatMs, formatNumber, formatTrimmed } from './format.js';
import type { Environment } from '../document/result.js';
import type { SweepParameter } from '../document/sweep.js';
import { TRANSPORTS } from '../transports/registry.js';
import { type SettingName, settingsOf, type TechniqueSettings } from '../transports/transport.js';

export interface RunTimes {
  startedAt: string;
  finishedAt: string;
  tool: { version: string };
}

/** `2025-06-03 09:14 UTC (took 51s)`; the raw text when it is not an ISO time. */
export function describeDate(startedAt: string, finishedAt: string): string {
  const start = Date.parse(startedAt);
  if (Number.isNaN(start)) return startedAt;
  const iso = new Date(start).toISOString();
  const date = `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
  const took = Date.parse(finishedAt) - start;
  return Number.isFinite(took) && took >= 0 ? `${date} (took ${formatDuration(Math.round(took / 1000) * 1000)})` : date;
}

function cpus(list: string): string {
  return /[-,]/.test(list) ? `CPUs ${list}` : `CPU ${list}`;
}

/** The deployment's shape when it is not cleartext HTTP/1.1 straight to the server; null when it is. */
export function describeDeployment(environment: Environment): string | null {
  const deployment = environment.deployment;
  if (deployment === undefined) return null;
  const { tls, http, h2Multiplex, via } = deployment;
  const shared = h2Multiplex === undefined ? '' : `, ${h2Multiplex} clients per connection`;
  const protocol =
    http === 'h2'
      ? `over HTTP/2 and TLS (h2${shared}; the WebSocket over HTTP/1.1 and TLS)`
      : http === 'h2c'
        ? `over HTTP/2 in cleartext (h2c${shared}; the WebSocket over HTTP/1.1)`
        : tls
          ? 'over TLS (https, wss)'
          : null;
  const proxy =
    via === 'nginx'
      ? 'via nginx, configured for push'
      : via === 'nginx-defaults'
        ? 'via nginx with its defaults'
        : null;
  const parts = [protocol, proxy].filter((part): part is string => part !== null);
  return parts.length === 0 ? null : parts.join(', ');
}

/** Node, OS, CPU, placement, git sha, date: one short item each. */
export function environmentItems(environment: Environment, times: RunTimes): string[] {
  const deployment = describeDeployment(environment);
  const items = [
    ...(deployment === null ? [] : [deployment]),
    `im-bench ${times.tool.version}`,
    `Node ${environment.node}`,
    `${environment.os} (${environment.arch})`,
    `${environment.cpuModel}, ${formatInteger(environment.cores)} ${environment.cores === 1 ? 'core' : 'cores'}`,
    environment.placement === null
      ? 'not pinned to CPUs'
      : `server on ${cpus(environment.placement.server)}, generator on ${cpus(environment.placement.generator)}`,
  ];
  if (environment.gitSha !== null) items.push(`git ${environment.gitSha}`);
  items.push(describeDate(times.startedAt, times.finishedAt));
  return items;
}

/** How a value of the swept parameter reads: `200 clients`, `50 msg/s`. */
export function describeSweepValue(parameter: SweepParameter, value: number): string {
  return parameter === 'clients' ? `${formatInteger(value)} clients` : `${formatTrimmed(value)} msg/s`;
}

export interface ScenarioOptions {
  /** `--repeat`: how many times each technique ran. */
  repeat?: number;
  /** A sweep's parameter: left out here, since its values are listed apart. */
  swept?: SweepParameter;
}

/** How a report names a technique setting's value; settings without one are not worth a line. */
const SETTING_ITEMS: Partial<Record<SettingName, (settings: TechniqueSettings) => string>> = {
  pollIntervalMs: (settings) => `polls every ${formatDuration(settings.pollIntervalMs)}`,
  longPollTimeoutMs: (settings) => `long polls held up to ${formatDuration(settings.longPollTimeoutMs)}`,
};

/** The settings the run's techniques read (as the registry says), each once, in registry order. */
function settingItems(scenario: Scenario): string[] {
  const read = TRANSPORTS.filter((t) => scenario.transports.includes(t.name)).flatMap((t) => t.settings);
  const settings = settingsOf(scenario);
  return [...new Set(read)].flatMap((name) => SETTING_ITEMS[name]?.(settings) ?? []);
}

/**
 * What a report is titled: the scenario and the size it ran at, from its values (`notify: 30
 * clients at 2 msg/s`), not from its description, which speaks of the file's own values.
 */
export function runTitle(scenario: Scenario): string {
  return `im-bench: ${scenario.name}, ${formatInteger(scenario.clients)} clients at ${formatTrimmed(scenario.rate)} msg/s`;
}

/** The scenario's key settings, one short item each; those that cannot matter to this run left out. */
export function scenarioItems(scenario: Scenario, options: ScenarioOptions = {}): string[] {
  const { swept, repeat = 1 } = options;
  const burst = scenario.pattern === 'burst' ? ` (bursts of ${formatInteger(scenario.burstSize)})` : '';
  const items = [
    ...(swept === 'clients' ? [] : [`${formatInteger(scenario.clients)} clients`]),
    swept === 'rate'
      ? `${scenario.pattern} publishing${burst}`
      : `${formatTrimmed(scenario.rate)} msg/s ${scenario.pattern}${burst}`,
    `${formatBytes(scenario.payloadBytes)} payload`,
    `${formatDuration(scenario.durationMs)} window after ${formatDuration(scenario.warmupMs)} warm-up`,
  ];
  items.push(...settingItems(scenario));
  if (scenario.channels > 1) items.push(`${formatInteger(scenario.channels)} channels`);
  if (scenario.publisher === 'clients') items.push('clients publish (chat)');
  if (repeat > 1) items.push(`each technique run ${formatInteger(repeat)} times`);
  const fault = describeFault(scenario);
  if (fault !== null) items.push(fault);
  return items;
}

/** `restart at 3s, with its journal`; null when the scenario strikes no fault. */
export function describeFault(scenario: Scenario): string | null {
  const at = `at ${formatDuration(scenario.faultAtMs)}`;
  const share = `${formatTrimmed(scenario.faultShare * 100, 0)} % of the clients`;
  switch (scenario.fault) {
    case 'none':
      return null;
    case 'restart':
      return `server killed and restarted ${at}, ${scenario.journal ? 'with its journal' : 'without a journal'}`;
    case 'drop':
      return `connections of ${share} cut ${at}`;
    case 'slow':
      return `${share} stop reading ${at}`;
  }
}

/** A model check's predicted or measured figure, with its unit. */
export function formatModelValue(value: number, unit: string): string {
  if (unit === 'ms') return `${formatMs(value)} ms`;
  if (unit === 'B') return formatBytes(value);
  return unit === '' ? formatTrimmed(value, 1) : `${formatFigure(value)} ${unit}`;
}

/** `+5.3 %`, `-0.7 %`; `+∞` when the model predicted nothing and something was measured. */
export function formatDeviation(deviation: number): string {
  if (deviation === Number.POSITIVE_INFINITY) return '+∞';
  if (Number.isNaN(deviation)) return '–';
  const text = formatNumber(deviation * 100, 1);
  return `${text.startsWith('-') || text === '0.0' ? '' : '+'}${text} %`;
}
