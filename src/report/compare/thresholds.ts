import { invalidOption } from '../../core/errors.js';
import { FIGURES } from './figures.js';
import { FIGURE_NAMES, type FigureName, type Threshold, type Thresholds } from '../../document/comparison.js';

const percent = (limit: number): Threshold => ({
  kind: 'percent',
  limit,
  text: `${limit < 0 ? '-' : '+'}${Math.abs(limit)}%`,
  source: 'default',
});

/*
 * Why each default:
 * - min +10%: the fastest delivery of a run, the one no pause or neighbour touched. The noise
 *   of a shared machine only ever adds delay, so the minimum varies least between repetitions
 *   (0.1–0.3 ms here, where the p50 varies by 0.4–1.4 ms), and a cost added to every message
 *   moves it as much as the median: it is where a fixed slowdown shows first. Its floor, 0.5 ms
 *   like every latency's, keeps a +10% of a 1 ms minimum from counting.
 * - p50, p90, p99 +10%: thousands of samples per run make these stable to a few percent on a
 *   quiet machine; +10% is a change someone would notice. The tail is the noisiest of the
 *   three, which is what --repeat and compare's test over the repetitions are for.
 * - max off: one sample; it describes a collector pause or the runner's neighbours.
 * - throughput -5%: in an open model the schedule sets it; it only falls when copies are lost
 *   or arrive after the window, so 5% is already a lot.
 * - bytes_per_msg +5%, requests_per_msg +5%: nearly deterministic (headers, framing, polls per
 *   interval); 5% catches a new header or an extra request without flapping on message timing.
 * - cpu_per_msg +20%: a window's CPU moves with whether a major collection fell in it, and
 *   between two runs of the same build every repetition can sit higher together, which no
 *   test over one document's repetitions sees: +16 % for short polling in the calibration's
 *   unchanged pairs (docs/compare-ci.md#calibration). +20 % stays clear of that and still
 *   catches the calibration's +25 %.
 * - rss_per_conn +20%: RSS moves with page granularity and the collector's timing; only a
 *   large move means a connection got more expensive to hold.
 * - lost +0: the broker never drops a copy silently; any loss is a bug, not a slowdown.
 * - connect_p99 off: with a hundred clients the p99 is one or two connects, at the mercy of
 *   the accept backlog and the scheduler (4.8 to 16.8 ms across three identical runs).
 */
export const DEFAULT_THRESHOLDS: Thresholds = {
  min: percent(10),
  p50: percent(10),
  p90: percent(10),
  p99: percent(10),
  max: null,
  throughput: percent(-5),
  bytes_per_msg: percent(5),
  requests_per_msg: percent(5),
  cpu_per_msg: percent(20),
  rss_per_conn: percent(20),
  lost: { kind: 'absolute', limit: 0, text: '+0', source: 'default' },
  connect_p99: null,
};

/** `p99=+10%` for a threshold, `max=off` for none. */
export function formatThresholdItem(name: FigureName, threshold: Threshold | null): string {
  return `${name}=${threshold === null ? 'off' : threshold.text}`;
}

/** The defaults as one `--threshold` value, for help texts. */
export const DEFAULT_THRESHOLD_SPEC = FIGURE_NAMES.map((name) =>
  formatThresholdItem(name, DEFAULT_THRESHOLDS[name]),
).join(',');

const FLAG = '--threshold';
const LIMIT = /^([+-])(\d+(?:\.\d+)?)(%?)$/;
const SHAPE = 'NAME=+N% or NAME=-N% (NAME=+N for an absolute limit, NAME=off for none)';

/**
 * The defaults with the figures a `--threshold` value names replaced: `p99=+20%,cpu_per_msg=off`.
 * The sign must be the figure's worse direction, so a limit can never be read backwards.
 */
export function parseThresholds(spec: string | undefined): Thresholds {
  const thresholds: Record<FigureName, Threshold | null> = { ...DEFAULT_THRESHOLDS };
  const seen = new Set<string>();
  for (const raw of (spec ?? '').split(',')) {
    const item = raw.trim();
    if (item === '') continue;
    const [name = '', value, ...rest] = item.split('=').map((part) => part.trim());
    if (value === undefined || rest.length > 0) throw invalidOption(FLAG, item, SHAPE);
    if (!(FIGURE_NAMES as readonly string[]).includes(name)) {
      throw invalidOption(FLAG, item, `a figure name before "=", one of ${FIGURE_NAMES.join(', ')}`);
    }
    if (seen.has(name)) throw invalidOption(FLAG, item, `each figure once; ${name} is given twice`);
    seen.add(name);
    thresholds[name as FigureName] = parseLimit(name as FigureName, value, item);
  }
  return thresholds;
}

function parseLimit(name: FigureName, value: string, item: string): Threshold | null {
  if (value === 'off') return null;
  const match = LIMIT.exec(value);
  if (match === null) throw invalidOption(FLAG, item, SHAPE);
  const [, sign, digits = '', unit] = match;
  const figure = FIGURES[name];
  const expectedSign = figure.worse === 'up' ? '+' : '-';
  if (sign !== expectedSign) {
    const falls = figure.worse === 'up' ? 'rises' : 'falls';
    throw invalidOption(FLAG, item, `${name}=${expectedSign}N${unit}: ${name} gets worse as it ${falls}`);
  }
  const magnitude = Number(digits);
  if (unit === '%' && figure.worse === 'down' && magnitude > 100) {
    throw invalidOption(FLAG, item, `${name}=-N% with N at most 100: a figure cannot fall by more than all of it`);
  }
  return {
    kind: unit === '%' ? 'percent' : 'absolute',
    limit: sign === '-' ? -magnitude : magnitude,
    text: `${sign}${digits}${unit}`,
    source: 'user',
  };
}
