/** Number formatting shared by the human-readable exporters. Fixed locale, so output is the same everywhere. */

const NOT_A_NUMBER = '–';
const formatters = new Map<number, Intl.NumberFormat>();

/** Thousands separators, exactly `decimals` digits after the point. */
export function formatNumber(value: number | null, decimals = 0): string {
  if (value === null || !Number.isFinite(value)) return NOT_A_NUMBER;
  let formatter = formatters.get(decimals);
  if (formatter === undefined) {
    formatter = new Intl.NumberFormat('en-US', { minimumFractionDigits: decimals, maximumFractionDigits: decimals });
    formatters.set(decimals, formatter);
  }
  // Avoids "-0" when a small negative value rounds to zero.
  const text = formatter.format(value);
  return /^-0(\.0*)?$/.test(text) ? text.slice(1) : text;
}

export function formatInteger(value: number | null): string {
  return formatNumber(value, 0);
}

/** Thousands separators, at most `maxDecimals` digits after the point, no trailing zeros: `0.5`, `1,000`. */
export function formatTrimmed(value: number | null, maxDecimals = 2): string {
  const text = formatNumber(value, maxDecimals);
  return text.includes('.') ? text.replace(/\.?0+$/, '') : text;
}

/** Precision that follows magnitude: 2 decimals below 10, 1 below 100, whole numbers above. */
export function formatFigure(value: number | null): string {
  if (value === null) return NOT_A_NUMBER;
  const magnitude = Math.abs(value);
  return formatNumber(value, magnitude < 10 ? 2 : magnitude < 100 ? 1 : 0);
}

/** Milliseconds, without the unit. */
export const formatMs = formatFigure;

/** `412 B`, `1.5 KiB`, `12.3 MiB`. */
export function formatBytes(bytes: number | null): string {
  if (bytes === null || !Number.isFinite(bytes)) return NOT_A_NUMBER;
  if (Math.abs(bytes) < 1024) return `${formatInteger(bytes)} B`;
  if (Math.abs(bytes) < 1024 * 1024) return `${formatFigure(bytes / 1024)} KiB`;
  return `${formatFigure(bytes / (1024 * 1024))} MiB`;
}

/** `4.1×`: one decimal below 100, whole numbers above. */
export function formatRatio(ratio: number | null): string {
  if (ratio === null || !Number.isFinite(ratio)) return NOT_A_NUMBER;
  return `${formatNumber(ratio, Math.abs(ratio) < 100 ? 1 : 0)}×`;
}

/** A share as a percentage, its precision following magnitude: `0.42 %`, `12.5 %`, `130 %`. */
export function formatPercent(share: number | null): string {
  if (share === null || !Number.isFinite(share)) return NOT_A_NUMBER;
  return `${formatFigure(share * 100)} %`;
}

export function formatYesNo(value: boolean): string {
  return value ? 'yes' : 'no';
}
