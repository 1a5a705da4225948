import { escapeXml } from './escape.js';

/** Generic families only: the report loads no font. */
const FONT_FAMILY = 'system-ui, -apple-system, Segoe UI, Roboto, Helvetica, Arial, sans-serif';
export const FONT_SIZE = 12;
const TITLE_SIZE = 14;
const TEXT_COLOUR = '#222';
export const MUTED_COLOUR = '#555';

/** A rough width for laying out labels: SVG cannot measure text without a script. */
export function textWidth(text: string, size = FONT_SIZE): number {
  return text.length * size * 0.58;
}

export interface ChartFrame {
  width: number;
  height: number;
  title: string;
  /** A sentence for screen readers: what the chart plots. */
  description?: string;
}

/** A standalone `<svg class="chart">` with its title both accessible (`<title>`) and visible. */
export function svgDocument(frame: ChartFrame, body: string): string {
  const { width, height } = frame;
  const description = frame.description === undefined ? '' : `<desc>${escapeXml(frame.description)}</desc>`;
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" ` +
    `role="img" font-family="${FONT_FAMILY}" font-size="${FONT_SIZE}" fill="${TEXT_COLOUR}">` +
    `<title>${escapeXml(frame.title)}</title>${description}` +
    `<text x="0" y="${TITLE_SIZE + 2}" font-size="${TITLE_SIZE}" font-weight="600">${escapeXml(frame.title)}</text>` +
    `${body}</svg>`
  );
}
