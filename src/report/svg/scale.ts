/** Maps a value of `domain` onto `range` (pixels); NaN for a value a log scale cannot place. */
export type Scale = (value: number) => number;

export function createScale(domain: readonly [number, number], range: readonly [number, number], log = false): Scale {
  const transform = log ? (v: number): number => (v > 0 ? Math.log10(v) : Number.NaN) : (v: number): number => v;
  const start = transform(domain[0]);
  const span = transform(domain[1]) - start || 1;
  return (value) => range[0] + ((transform(value) - start) / span) * (range[1] - range[0]);
}

/** Coordinates rounded to a tenth of a pixel: smaller output, no visible difference. */
export function px(value: number): string {
  return String(Math.round(value * 10) / 10);
}
