import Table from 'cli-table3';
import {
  formatChange,
  formatLimit,
  formatSpread,
  formatValue,
  noiseReason,
  notes,
  summaryLine,
  titleLine,
} from './describe.js';
import type { Verdict, FigureComparison, TechniqueComparison, Comparison } from '../../document/comparison.js';

/** Plain words, upper case where the eye must stop: no colours, so pipes and CI logs stay clean. */
const VERDICT_TEXT: Record<Verdict, string> = {
  regressed: 'REGRESSED',
  noise: 'noise',
  improved: 'improved',
  ok: 'ok',
  untracked: 'no limit',
  unmeasured: 'n/a',
};

function techniqueTable(technique: TechniqueComparison, withSpread: boolean): string {
  const head = ['figure', 'base', 'head', 'change', 'limit', 'verdict'];
  if (withSpread) head.splice(2, 0, 'base range');
  const table = new Table({
    head,
    colAligns: head.map((name) => (name === 'figure' || name === 'verdict' ? 'left' : 'right')),
    style: { head: [], border: [], compact: true },
  });
  for (const figure of technique.figures) {
    const row = [
      figure.label,
      formatValue(figure.base, figure.unit),
      formatValue(figure.head, figure.unit),
      formatChange(figure),
      formatLimit(figure.threshold, figure.unit),
      VERDICT_TEXT[figure.verdict],
    ];
    if (withSpread) row.splice(2, 0, formatSpread(figure));
    table.push(row);
  }
  return table.toString();
}

function repetitions(technique: TechniqueComparison): string {
  const { baseRepetitions: base, headRepetitions: head } = technique;
  return base === 1 && head === 1 ? '' : ` (repetitions: ${base} in base, ${head} in head)`;
}

const noiseLine = (transport: string, figure: FigureComparison): string =>
  `  ${transport} ${figure.figure}: noise, ${noiseReason(figure)}`;

export function serialize(comparison: Comparison): string {
  const lines = [titleLine(comparison), summaryLine(comparison)];
  for (const technique of comparison.techniques) {
    lines.push('', `${technique.transport}${repetitions(technique)}`);
    lines.push(techniqueTable(technique, technique.baseRepetitions > 1));
    for (const figure of technique.figures)
      if (figure.verdict === 'noise') lines.push(noiseLine(technique.transport, figure));
  }
  const extra = notes(comparison);
  if (extra.length > 0) lines.push('', ...extra);
  return `${lines.join('\n')}\n`;
}
