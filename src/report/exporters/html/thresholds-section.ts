import type { ThresholdCheck } from '../../../document/threshold-check.js';
import { escapeXml as esc } from '../../svg/escape.js';
import { FAIL_MARK, PASS_MARK, thresholdRows, thresholdSummary } from '../../thresholds/describe.js';

/** The judged thresholds as a table; no section at all (not even an empty line) when the run had none. */
export function thresholdsSection(checks: readonly ThresholdCheck[] | undefined): string[] {
  if (checks === undefined || checks.length === 0) return [];
  const head = '<tr><th>threshold</th><th class="text">technique</th><th>measured</th><th class="text"></th></tr>';
  const body = thresholdRows(checks).map((row) => {
    const verdict = row.pass ? `${PASS_MARK} pass` : `<span class="flag">${FAIL_MARK} fail</span>`;
    return `<tr><td><code>${esc(row.expression)}</code></td><td class="text">${esc(row.transport)}</td><td>${esc(row.measured)}</td><td class="text">${verdict}</td></tr>`;
  });
  return [
    `<h2>Thresholds</h2><p class="note">${esc(thresholdSummary(checks))}.</p><div class="scroll"><table><thead>${head}</thead><tbody>${body.join('')}</tbody></table></div>`,
  ];
}
