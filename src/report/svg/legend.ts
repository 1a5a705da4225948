import { FONT_SIZE, textWidth } from './document.js';
import { escapeXml } from './escape.js';
import { marker } from './markers.js';
import { seriesStyle } from './palette.js';
import { px } from './scale.js';

const SWATCH = 26;
const ROW_HEIGHT = FONT_SIZE + 8;

export interface Legend {
  svg: string;
  height: number;
}

/** One entry per name (a line sample in the series' style, then the label), wrapped onto rows of `width`. */
export function legend(
  entries: ReadonlyArray<{ name: string; label: string }>,
  left: number,
  top: number,
  width: number,
  markers: boolean,
): Legend {
  const parts: string[] = [];
  let x = left;
  let y = top + ROW_HEIGHT / 2;
  for (const { name, label } of entries) {
    const entryWidth = SWATCH + 6 + textWidth(label) + 18;
    if (x > left && x + entryWidth > left + width) {
      x = left;
      y += ROW_HEIGHT;
    }
    const style = seriesStyle(name);
    const dash = style.dash === '' ? '' : ` stroke-dasharray="${style.dash}"`;
    parts.push(
      `<line x1="${px(x)}" x2="${px(x + SWATCH)}" y1="${px(y)}" y2="${px(y)}" stroke="${style.colour}" stroke-width="2.5"${dash}/>`,
    );
    if (markers) parts.push(marker(style.marker, x + SWATCH / 2, y, style.colour));
    parts.push(`<text x="${px(x + SWATCH + 6)}" y="${px(y)}" dy="0.32em">${escapeXml(label)}</text>`);
    x += entryWidth;
  }
  return { svg: parts.join(''), height: entries.length === 0 ? 0 : y - top + ROW_HEIGHT / 2 };
}
