import Table from 'cli-table3';
import {
  formatChange,
  formatLimit,
  formatSpread,
  formatTestP,
  formatValue,
  inconclusiveReason,
  notes,
  summaryLine,
  titleLine,
} from './describe.js';
import {
  type Verdict,
  type FigureComparison,
  type TechniqueComparison,
  type Comparison,
  comparedName,
} from '../../document/comparison.js';

/** Plain words, upper case where the eye must stop: no colours, so pipes and CI logs stay clean. */
const VERDICT_TEXT: Record<Verdict, string> = {
  regressed: 'REGRESSED',
  inconclusive: 'inconclusive',
  improved: 'improved',
  ok: 'ok',
  untracked: 'no limit',
  unmeasured: 'n/a',
};

/** With repetitions: both ranges and the test's p-value beside the medians. */
function techniqueTable(technique: TechniqueComparison, withSpread: boolean): string {
  const head = withSpread
    ? ['figure', 'base', 'base range', 'head', 'head range', 'change', 'p', 'limit', 'verdict']
    : ['figure', 'base', 'head', 'change', 'limit', 'verdict'];
  const table = new Table({
    head,
    colAligns: head.map((name) => (name === 'figure' || name === 'verdict' ? 'left' : 'right')),
    style: { head: [], border: [], compact: true },
  });
  for (const figure of technique.figures) {
    const base = formatValue(figure.base, figure.unit);
    const head = formatValue(figure.head, figure.unit);
    const change = formatChange(figure);
    const limit = formatLimit(figure.threshold, figure.unit);
    const verdict = VERDICT_TEXT[figure.verdict];
    table.push(
      withSpread
        ? [
            figure.label,
            base,
            formatSpread(figure.baseSpread, figure.unit),
            head,
            formatSpread(figure.headSpread, figure.unit),
            change,
            formatTestP(figure),
            limit,
            verdict,
          ]
        : [figure.label, base, head, change, limit, verdict],
    );
  }
  return table.toString();
}

function repetitions(technique: TechniqueComparison): string {
  const { baseRepetitions: base, headRepetitions: head } = technique;
  return base === 1 && head === 1 ? '' : ` (repetitions: ${base} in base, ${head} in head)`;
}

const inconclusiveLine = (transport: string, figure: FigureComparison): string =>
  `  ${transport} ${figure.figure}: inconclusive, ${inconclusiveReason(figure)}`;

export function serialize(comparison: Comparison): string {
  const lines = [titleLine(comparison), summaryLine(comparison)];
  for (const technique of comparison.techniques) {
    lines.push('', `${comparedName(technique)}${repetitions(technique)}`);
    lines.push(techniqueTable(technique, technique.baseRepetitions > 1 || technique.headRepetitions > 1));
    for (const figure of technique.figures)
      if (figure.verdict === 'inconclusive') lines.push(inconclusiveLine(comparedName(technique), figure));
  }
  const extra = notes(comparison);
  if (extra.length > 0) lines.push('', ...extra);
  return `${lines.join('\n')}\n`;
}
