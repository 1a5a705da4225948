import {
  formatChange,
  formatLimit,
  formatTestP,
  formatValue,
  inconclusiveReason,
  notes,
  resolutions,
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

/** GitHub-flavoured Markdown, small enough for a CI job summary ($GITHUB_STEP_SUMMARY). */

const MARK: Record<Verdict, string> = {
  regressed: '❌',
  inconclusive: '⚠️',
  improved: '✅',
  ok: '✅',
  untracked: '',
  unmeasured: '',
};

function verdictCell(figure: FigureComparison): string {
  switch (figure.verdict) {
    case 'regressed':
      return '**regressed**';
    case 'inconclusive':
      return `inconclusive: ${inconclusiveReason(figure)}`;
    case 'untracked':
      return 'no limit';
    case 'unmeasured':
      return 'n/a';
    default:
      return figure.verdict;
  }
}

function figureTable(technique: TechniqueComparison): string[] {
  const lines = ['| | figure | base | head | change | limit | p | verdict |', '|---|---|--:|--:|--:|--:|--:|---|'];
  for (const figure of technique.figures) {
    const cells = [
      MARK[figure.verdict],
      figure.label,
      formatValue(figure.base, figure.unit),
      formatValue(figure.head, figure.unit),
      formatChange(figure),
      formatLimit(figure.threshold, figure.unit),
      formatTestP(figure),
      verdictCell(figure),
    ];
    lines.push(`| ${cells.join(' | ')} |`);
  }
  return lines;
}

const NOTABLE: readonly Verdict[] = ['regressed', 'inconclusive', 'improved'];

/** A technique with nothing to flag folds away, so a summary page shows what changed first. */
function techniqueSection(technique: TechniqueComparison): string[] {
  const { baseRepetitions: base, headRepetitions: head } = technique;
  const repetitions = base === 1 && head === 1 ? '' : ` (repetitions: ${base} in base, ${head} in head)`;
  if (technique.figures.some((figure) => NOTABLE.includes(figure.verdict))) {
    return [
      `### ${comparedName(technique)}${repetitions ? ` <sub>${repetitions.trim()}</sub>` : ''}`,
      '',
      ...figureTable(technique),
    ];
  }
  return [
    '<details>',
    `<summary><b>${comparedName(technique)}</b>: every figure within its limit${repetitions}</summary>`,
    '',
    ...figureTable(technique),
    '',
    '</details>',
  ];
}

const legend = (alpha: number): string =>
  'A figure regresses when it moves past its limit in its worse direction and a one-sided trimmed-mean t-test over the ' +
  `repetitions, Holm-corrected across every figure tested, puts the change beyond their noise (p, the corrected ` +
  `p-value, below ${alpha}). Past the limit but not beyond the noise, it is inconclusive and passes. ` +
  `Changes within what the measurement resolves never count (${resolutions()}).`;

export function serialize(comparison: Comparison): string {
  const mark = comparison.exitCode === 0 ? '✅' : '❌';
  const lines = [`## ${mark} im-bench compare`, '', `**${summaryLine(comparison)}**`, '', titleLine(comparison)];
  for (const technique of comparison.techniques) lines.push('', ...techniqueSection(technique));
  const extra = notes(comparison);
  if (extra.length > 0) lines.push('', ...extra.map((note) => `- ${note}`));
  lines.push('', `<sub>${legend(comparison.alpha)}</sub>`);
  return `${lines.join('\n')}\n`;
}
