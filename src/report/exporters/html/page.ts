import { formatDuration } from '../../../scenario/duration.js';
import type { Scenario } from '../../../document/scenario.js';
import { describeDate, describeDeployment } from '../../describe.js';
import { formatBytes, formatFigure, formatInteger, formatTrimmed } from '../../format.js';
import type { Environment } from '../../../document/result.js';
import { NOTHING } from '../../rows.js';
import { escapeXml as esc } from '../../svg/escape.js';
import { seriesStyle } from '../../svg/palette.js';

/*
 * One self-contained page per run or sweep: inline CSS and SVG, no script, no URL to fetch.
 * Every text that comes from the document passes through `esc`.
 */

const CSS = `
:root{color-scheme:light}
*{box-sizing:border-box}
body{margin:0;background:#f5f6f8;color:#1f2328;font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,Helvetica,Arial,sans-serif}
main{max-width:1140px;margin:0 auto;padding:28px 24px 48px}
h1{font-size:26px;line-height:1.25;margin:0 0 4px}
h2{font-size:19px;margin:36px 0 12px;padding-bottom:4px;border-bottom:1px solid #d8dce1}
h3{font-size:15px;margin:18px 0 6px}
p{margin:6px 0}
.lede{color:#3d434a;margin:0}
.meta,.note,figcaption{color:#59616b;font-size:13px}
.banner{background:#fff4e0;border:1px solid #e8a33d;border-radius:6px;padding:10px 14px;margin:18px 0 0}
.cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(min(340px,100%),1fr));gap:16px}
.card,figure{background:#fff;border:1px solid #e0e3e8;border-radius:8px;padding:14px 16px;margin:0}
.card h3{margin-top:0}
dl{display:grid;grid-template-columns:max-content 1fr;gap:3px 16px;margin:0;font-size:14px}
dt{color:#59616b}
dd{margin:0}
.scroll{overflow-x:auto}
table{border-collapse:collapse;background:#fff;font-size:14px;font-variant-numeric:tabular-nums;border:1px solid #e0e3e8}
th,td{padding:5px 12px;text-align:right;vertical-align:top;border-bottom:1px solid #eceef1}
th:first-child,td:first-child{text-align:left}
thead th{background:#f0f2f5;border-bottom:1px solid #cfd4da;white-space:nowrap}
tbody tr:nth-child(even){background:#fafbfc}
th.text,td.text{text-align:left}
tr.group th{background:#f3f5f7;text-align:left;font-weight:600;border-top:1px solid #cfd4da}
tr.inputs td{color:#59616b;font-size:13px}
tbody.group{border-top:1px solid #cfd4da}
tbody.group tr{background:#fff}
table.full{width:100%}
.swatch-name{white-space:nowrap}
table.dense{font-size:13px}
table.dense th,table.dense td{padding:4px 8px}
table.dense td{text-align:right}
table.dense thead th{white-space:normal;vertical-align:bottom}
footer{margin-top:40px;color:#59616b;font-size:12px}
.range{display:block;color:#6a727c;font-size:12px;white-space:nowrap}
.swatch{display:inline-block;width:10px;height:10px;border-radius:2px;margin-right:6px;vertical-align:baseline}
.charts{display:grid;grid-template-columns:repeat(auto-fit,minmax(min(460px,100%),1fr));gap:16px}
svg.chart{display:block;max-width:100%;height:auto}
figcaption{margin-top:8px}
.flag{color:#b3261e;font-weight:600}
.caveats li{margin:4px 0}
.findings li{margin:4px 0}
code{font-size:13px}
`;

export function footer(document: { schema: string; tool: { version: string } }): string {
  return `<footer>Rendered by im-bench ${esc(document.tool.version)} from a <code>${esc(document.schema)}</code> document; the JSON holds every figure and the HDR histograms.</footer>`;
}

export function page(title: string, body: string[]): string {
  return [
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${esc(title)}</title>`,
    `<style>${CSS}</style>`,
    '</head>',
    '<body><main>',
    ...body,
    '</main></body>',
    '</html>',
    '',
  ].join('\n');
}

// ─── shared pieces ────────────────────────────────────────────────────────────

export function swatch(technique: string): string {
  return `<span class="swatch-name"><span class="swatch" style="background:${seriesStyle(technique).colour}"></span>${esc(technique)}</span>`;
}

function definitions(entries: ReadonlyArray<readonly [string, string]>): string {
  return `<dl>${entries.map(([term, value]) => `<dt>${esc(term)}</dt><dd>${esc(value)}</dd>`).join('')}</dl>`;
}

export function figure(chart: string, caption = ''): string {
  return `<figure>${chart}${caption === '' ? '' : `<figcaption>${esc(caption)}</figcaption>`}</figure>`;
}

export function environmentFacts(
  environment: Environment,
  tool: { version: string },
  startedAt: string,
  finishedAt: string,
): string {
  const { placement } = environment;
  return definitions([
    ['started', describeDate(startedAt, finishedAt)],
    ['im-bench', tool.version],
    ['Node.js', environment.node],
    ['OS', `${environment.os} (${environment.platform} ${environment.arch})`],
    [
      'CPU',
      `${environment.cpuModel}, ${formatInteger(environment.cores)} ${environment.cores === 1 ? 'core' : 'cores'}`,
    ],
    ['memory', `${formatFigure(environment.totalMemoryBytes / 2 ** 30)} GiB`],
    [
      'placement',
      placement === null ? 'not pinned' : `server on CPU ${placement.server}, generator on CPU ${placement.generator}`,
    ],
    ['git', environment.gitSha === null ? NOTHING : environment.gitSha.slice(0, 12)],
    ...deploymentFact(environment),
  ]);
}

/** A row for the deployment only when it is not cleartext HTTP/1.1 straight to the server. */
function deploymentFact(environment: Environment): Array<[string, string]> {
  const deployment = describeDeployment(environment);
  return deployment === null ? [] : [['deployment', deployment]];
}

/** The scenario's settings; `swept` replaces the varied field's single value by the sweep's list. */
export function scenarioFacts(
  scenario: Scenario,
  extra: ReadonlyArray<readonly [string, string]>,
  swept?: { parameter: string; values: string },
): string {
  const value = (field: string, single: string, unit = ''): string =>
    `${swept?.parameter === field ? swept.values : single}${unit}${swept?.parameter === field ? ' (swept)' : ''}`;
  const publishing =
    `${value('rate', formatTrimmed(scenario.rate), ' msg/s')}, ${scenario.pattern}` +
    (scenario.pattern === 'burst' ? ` (bursts of ${formatInteger(scenario.burstSize)})` : '');
  return definitions([
    ['scenario', scenario.name],
    ['clients', value('clients', formatInteger(scenario.clients))],
    ['publishing', `${publishing}, ${scenario.publisher === 'clients' ? 'clients publish (chat)' : 'server fan-out'}`],
    ['payload', formatBytes(scenario.payloadBytes)],
    ['channels', formatInteger(scenario.channels)],
    [
      'timing',
      `ramp-up ${formatDuration(scenario.rampUpMs)}, warm-up ${formatDuration(scenario.warmupMs)}, measured ${formatDuration(scenario.durationMs)}, drain ${formatDuration(scenario.drainMs)}`,
    ],
    [
      'polling',
      `interval ${formatDuration(scenario.pollIntervalMs)}, long-poll timeout ${formatDuration(scenario.longPollTimeoutMs)}`,
    ],
    ['SSE', `retry ${formatDuration(scenario.sseRetryMs)}, ${scenario.sseClient} client`],
    ...extra,
  ]);
}

export function summary(scenarioCard: string, environmentCard: string): string {
  return `<h2>Scenario and environment</h2><div class="cards"><section class="card"><h3>Scenario</h3>${scenarioCard}</section><section class="card"><h3>Environment</h3>${environmentCard}</section></div>`;
}

export function caveatList(items: readonly string[], clean: string): string {
  return `<h2>Caveats</h2>${items.length === 0 ? `<p>${esc(clean)}</p>` : `<ul class="caveats">${items.map((item) => `<li>${esc(item)}</li>`).join('')}</ul>`}`;
}

export function findingsSection(findings: readonly string[]): string {
  if (findings.length === 0) return '';
  return `<h2>What this shows</h2><ul class="findings">${findings.map((line) => `<li>${esc(line)}</li>`).join('')}</ul>`;
}

export function noteOf(text: string | null): string {
  return text === null ? '' : `<p class="note">${esc(text)}</p>`;
}

export function banner(text: string | null): string {
  return text === null ? '' : `<p class="banner">${esc(text)}</p>`;
}
