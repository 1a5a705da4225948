import { escapeXml } from './escape.js';
import type { MarkerShape } from './palette.js';
import { px } from './scale.js';

const SIZE = 4;

/** A point marker; `open` draws it hollow (a point to read with care). */
export function marker(shape: MarkerShape, x: number, y: number, colour: string, open = false, tooltip = ''): string {
  const paint = open
    ? `fill="#fff" stroke="${colour}" stroke-width="1.5"`
    : `fill="${colour}" stroke="#fff" stroke-width="1"`;
  const title = tooltip === '' ? '' : `<title>${escapeXml(tooltip)}</title>`;
  const close = title === '' ? '/>' : `>${title}</${shape === 'circle' ? 'circle' : 'path'}>`;
  if (shape === 'circle') return `<circle cx="${px(x)}" cy="${px(y)}" r="${SIZE}" ${paint}${close}`;
  return `<path d="${outline(shape, x, y)}" ${paint}${close}`;
}

function outline(shape: Exclude<MarkerShape, 'circle'>, x: number, y: number): string {
  const s = SIZE;
  const points: Array<[number, number]> =
    shape === 'square'
      ? [
          [x - s, y - s],
          [x + s, y - s],
          [x + s, y + s],
          [x - s, y + s],
        ]
      : shape === 'triangle'
        ? [
            [x, y - s * 1.2],
            [x + s * 1.15, y + s * 0.8],
            [x - s * 1.15, y + s * 0.8],
          ]
        : [
            [x, y - s * 1.3],
            [x + s * 1.3, y],
            [x, y + s * 1.3],
            [x - s * 1.3, y],
          ];
  return `M${points.map(([px1, py1]) => `${px(px1)} ${px(py1)}`).join('L')}Z`;
}
