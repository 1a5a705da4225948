import { xAxis, yAxis, yLabelWidth, type Plot } from './axes.js';
import { MUTED_COLOUR, svgDocument } from './document.js';
import { escapeXml } from './escape.js';
import { legend } from './legend.js';
import { marker } from './markers.js';
import { seriesStyle } from './palette.js';
import { createScale, px, type Scale } from './scale.js';
import { linearTicks, logTicks, type AxisTicks, type Tick } from './ticks.js';

export interface LinePoint {
  x: number;
  y: number;
  /** Drawn hollow: a point to read with care (say, measured while the generator was saturated). */
  open?: boolean;
  /** Hover text for the point's marker. */
  note?: string;
  /** Drawn as a marker off the line: a point too noisy to be part of a trend. */
  detached?: boolean;
}

/** A named series; its name picks its colour, dash and marker (see palette.ts). */
export interface LineSeries {
  name: string;
  points: readonly LinePoint[];
}

export interface LineAxis {
  title: string;
  log?: boolean;
  /** Fixed ticks (their extent becomes the axis' extent, widened to the data); else round numbers. */
  ticks?: readonly Tick[];
  /** Linear axes: start at zero (default true for y, false for x). */
  fromZero?: boolean;
}

export interface LineChartSpec {
  title: string;
  description?: string;
  x: LineAxis;
  y: LineAxis;
  series: readonly LineSeries[];
  /** Draw a marker at every point (for a few measured points, not for a sampled curve). */
  markers?: boolean;
  width?: number;
  height?: number;
}

const PADDING_RIGHT = 24;
/** Room above the highest point, so a line along the top does not merge with the frame. */
const HEADROOM = 0.05;
const PADDING_BOTTOM = 44;

export function lineChart(spec: LineChartSpec): string {
  const width = spec.width ?? 640;
  const height = spec.height ?? 360;
  const markers = spec.markers ?? false;
  const drawable = spec.series.map((series) => ({
    ...series,
    points: series.points.filter((p) => placeable(p, spec)),
  }));
  const all = drawable.flatMap((series) => series.points);
  const xTicks = axisTicks(
    spec.x,
    all.map((p) => p.x),
    false,
  );
  const yTicks = axisTicks(
    spec.y,
    all.map((p) => p.y),
    true,
  );

  const entries = drawable.map((s) => ({
    name: s.name,
    label: s.points.length === 0 ? `${s.name} (no data)` : s.name,
  }));
  const key = legend(entries, 0, 28, width, markers);
  const left = Math.max(yLabelWidth(yTicks), 36);
  const top = 28 + key.height + 28;
  const plot: Plot = { left, top, width: width - left - PADDING_RIGHT, height: height - top - PADDING_BOTTOM };
  const x = createScale(xTicks.domain, [plot.left, plot.left + plot.width], spec.x.log);
  const y = createScale(yTicks.domain, [plot.top + plot.height, plot.top], spec.y.log);

  const body = [key.svg, yAxis(plot, y, yTicks, spec.y.title), xAxis(plot, x, xTicks, spec.x.title)];
  for (const series of drawable) body.push(line(series, x, y, markers));
  if (all.length === 0) {
    body.push(
      `<text x="${px(plot.left + plot.width / 2)}" y="${px(plot.top + plot.height / 2)}" text-anchor="middle" fill="${MUTED_COLOUR}">no data</text>`,
    );
  }
  return svgDocument({ width, height, title: spec.title, description: spec.description }, body.join(''));
}

/** Points an axis cannot place (not finite; zero or negative on a log axis) are left out. */
function placeable(point: LinePoint, spec: LineChartSpec): boolean {
  const fits = (value: number, axis: LineAxis): boolean => Number.isFinite(value) && (!axis.log || value > 0);
  return fits(point.x, spec.x) && fits(point.y, spec.y);
}

function axisTicks(axis: LineAxis, values: readonly number[], isY: boolean): AxisTicks {
  const fixed = axis.ticks ?? [];
  const all = [...values, ...fixed.map((tick) => tick.value)];
  let min = all.length === 0 ? (axis.log ? 1 : 0) : Math.min(...all);
  const max = all.length === 0 ? (axis.log ? 10 : 1) : Math.max(...all);
  if (fixed.length > 0) return { domain: [min, max > min ? max : min + 1], ticks: fixed, minor: [] };
  if (axis.log) return logTicks(min, isY ? max * (1 + HEADROOM) : max);
  if (axis.fromZero ?? isY) min = Math.min(0, min);
  return linearTicks(min, isY ? max + (max - min) * HEADROOM : max);
}

function line(series: LineSeries, x: Scale, y: Scale, markers: boolean): string {
  const style = seriesStyle(series.name);
  const dash = style.dash === '' ? '' : ` stroke-dasharray="${style.dash}"`;
  const coordinates = series.points.map((point) => ({ point, cx: x(point.x), cy: y(point.y) }));
  const joined = coordinates.filter(({ point }) => point.detached !== true);
  const path = joined.map(({ cx, cy }, i) => `${i === 0 ? 'M' : 'L'}${px(cx)} ${px(cy)}`).join('');
  const parts = [`<g><title>${escapeXml(series.name)}</title>`];
  if (joined.length > 1) {
    parts.push(
      `<path d="${path}" fill="none" stroke="${style.colour}" stroke-width="2.25" stroke-linejoin="round" stroke-linecap="round"${dash}/>`,
    );
  }
  // Without markers, a point with a note still gets one: it is where the reader should look.
  for (const { point, cx, cy } of coordinates) {
    if (markers || coordinates.length === 1 || point.note !== undefined || point.detached === true)
      parts.push(marker(style.marker, cx, cy, style.colour, point.open ?? false, point.note ?? ''));
  }
  parts.push('</g>');
  return parts.join('');
}
