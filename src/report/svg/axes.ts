import { FONT_SIZE, MUTED_COLOUR, textWidth } from './document.js';
import { escapeXml } from './escape.js';
import { px, type Scale } from './scale.js';
import type { AxisTicks } from './ticks.js';

/** The plotting area inside a chart, in pixels. */
export interface Plot {
  left: number;
  top: number;
  width: number;
  height: number;
}

const GRID = '#dedede';
const MINOR_GRID = '#f0f0f0';
const BASELINE = '#8a8a8a';

/** Room a y axis needs left of the plot for its tick labels. */
export function yLabelWidth(axis: AxisTicks): number {
  return Math.max(...axis.ticks.map((tick) => textWidth(tick.label)), 0) + 10;
}

/** Vertical gridlines, tick labels under the plot, and the axis title centred below them. */
export function xAxis(plot: Plot, scale: Scale, axis: AxisTicks, title: string): string {
  const bottom = plot.top + plot.height;
  const parts = axis.minor.map((value) => vertical(scale(value), plot, MINOR_GRID));
  for (const tick of axis.ticks) {
    const x = scale(tick.value);
    parts.push(vertical(x, plot, GRID));
    parts.push(
      `<text x="${px(x)}" y="${px(bottom + FONT_SIZE + 6)}" text-anchor="middle">${escapeXml(tick.label)}</text>`,
    );
  }
  parts.push(
    `<line x1="${px(plot.left)}" x2="${px(plot.left + plot.width)}" y1="${px(bottom)}" y2="${px(bottom)}" stroke="${BASELINE}"/>`,
  );
  parts.push(
    `<text x="${px(plot.left + plot.width / 2)}" y="${px(bottom + FONT_SIZE * 2 + 14)}" text-anchor="middle" fill="${MUTED_COLOUR}">${escapeXml(title)}</text>`,
  );
  return parts.join('');
}

/** Horizontal gridlines, tick labels left of the plot, and the axis title above its top-left corner. */
export function yAxis(plot: Plot, scale: Scale, axis: AxisTicks, title: string): string {
  const parts = axis.minor.map((value) => horizontal(scale(value), plot, MINOR_GRID));
  for (const tick of axis.ticks) {
    const y = scale(tick.value);
    parts.push(horizontal(y, plot, GRID));
    parts.push(
      `<text x="${px(plot.left - 6)}" y="${px(y)}" dy="0.32em" text-anchor="end">${escapeXml(tick.label)}</text>`,
    );
  }
  parts.push(`<text x="${px(plot.left)}" y="${px(plot.top - 10)}" fill="${MUTED_COLOUR}">${escapeXml(title)}</text>`);
  return parts.join('');
}

function vertical(x: number, plot: Plot, colour: string): string {
  return `<line x1="${px(x)}" x2="${px(x)}" y1="${px(plot.top)}" y2="${px(plot.top + plot.height)}" stroke="${colour}"/>`;
}

function horizontal(y: number, plot: Plot, colour: string): string {
  return `<line x1="${px(plot.left)}" x2="${px(plot.left + plot.width)}" y1="${px(y)}" y2="${px(y)}" stroke="${colour}"/>`;
}
