import { xAxis, type Plot } from './axes.js';
import { MUTED_COLOUR, svgDocument, textWidth } from './document.js';
import { escapeXml } from './escape.js';
import { seriesStyle } from './palette.js';
import { createScale, px } from './scale.js';
import { linearTicks } from './ticks.js';

export interface Bar {
  /** A technique's name: it picks the bar's colour. */
  name: string;
  /** Not finite: nothing to show (drawn as "–", no bar). */
  value: number;
  /** Drawn as a whisker across the bar (when not a single point), e.g. min–max over repetitions. */
  range?: readonly [number, number];
}

export interface BarChartSpec {
  title: string;
  description?: string;
  /** Title of the value axis, with its unit. */
  axisTitle: string;
  bars: readonly Bar[];
  format: (value: number) => string;
  width?: number;
}

const BAR_HEIGHT = 22;
const BAR_GAP = 12;
const TOP = 34;
const PADDING_BOTTOM = 44;
const WHISKER = '#333';

/** Horizontal bars from zero, one per technique, each labelled with its value. */
export function barChart(spec: BarChartSpec): string {
  const width = spec.width ?? 480;
  const shown = spec.bars.filter((bar) => Number.isFinite(bar.value));
  const labels = shown.map((bar) => ({ bar, text: spec.format(bar.value) }));
  const highest = Math.max(0, ...shown.flatMap((bar) => [bar.value, ...(bar.range ?? [])]).filter(Number.isFinite));
  const ticks = linearTicks(Math.min(0, ...shown.map((bar) => bar.value)), highest, 4);

  const left = Math.max(...spec.bars.map((bar) => textWidth(bar.name)), 0) + 14;
  const right = Math.max(...labels.map((label) => textWidth(label.text)), textWidth('–')) + 16;
  const plot: Plot = {
    left,
    top: TOP,
    width: width - left - right,
    height: spec.bars.length * (BAR_HEIGHT + BAR_GAP) + BAR_GAP,
  };
  const height = plot.top + plot.height + PADDING_BOTTOM;
  const x = createScale(ticks.domain, [plot.left, plot.left + plot.width]);
  const zero = x(0);

  const body = [xAxis(plot, x, ticks, spec.axisTitle)];
  spec.bars.forEach((bar, i) => {
    const top = plot.top + BAR_GAP + i * (BAR_HEIGHT + BAR_GAP);
    const middle = top + BAR_HEIGHT / 2;
    body.push(
      `<text x="${px(plot.left - 8)}" y="${px(middle)}" dy="0.32em" text-anchor="end">${escapeXml(bar.name)}</text>`,
    );
    if (!Number.isFinite(bar.value)) {
      body.push(`<text x="${px(zero + 6)}" y="${px(middle)}" dy="0.32em" fill="${MUTED_COLOUR}">–</text>`);
      return;
    }
    const end = x(bar.value);
    const label = spec.format(bar.value);
    body.push(
      `<rect x="${px(Math.min(zero, end))}" y="${px(top)}" width="${px(Math.abs(end - zero))}" height="${BAR_HEIGHT}" fill="${seriesStyle(bar.name).colour}">` +
        `<title>${escapeXml(`${bar.name}: ${label}`)}</title></rect>`,
    );
    let labelAt = Math.max(zero, end);
    if (bar.range !== undefined && bar.range[1] > bar.range[0]) {
      const [low, high] = bar.range.map(x) as [number, number];
      body.push(whisker(low, high, middle));
      labelAt = Math.max(labelAt, high);
    }
    body.push(`<text x="${px(labelAt + 6)}" y="${px(middle)}" dy="0.32em">${escapeXml(label)}</text>`);
  });
  return svgDocument({ width, height, title: spec.title, description: spec.description }, body.join(''));
}

function whisker(low: number, high: number, y: number): string {
  const cap = BAR_HEIGHT / 2 - 3;
  return (
    `<path d="M${px(low)} ${px(y)}H${px(high)}M${px(low)} ${px(y - cap)}V${px(y + cap)}M${px(high)} ${px(y - cap)}V${px(y + cap)}" ` +
    `stroke="${WHISKER}" stroke-width="1.5" fill="none"/>`
  );
}
