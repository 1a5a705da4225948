import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseDocument } from 'yaml';
import { parseThreshold } from '../../src/report/thresholds/parse.js';
import { TRANSPORT_NAMES } from '../../src/transports/registry.js';

interface Step {
  name?: string;
  if?: string;
  run?: string;
}

const document = parseDocument(readFileSync(new URL('../../examples/github-actions.yml', import.meta.url), 'utf8'));
const steps = (document.toJS() as { jobs: { bench: { steps: Step[] } } }).jobs.bench.steps;
const stepRunning = (command: string): Step => {
  const found = steps.filter((step) => step.run?.includes(command));
  expect(found, command).toHaveLength(1);
  return found[0]!;
};

describe('examples/github-actions.yml', () => {
  it('parses', () => {
    expect(document.errors).toEqual([]);
  });

  it('gates the run on absolute thresholds that im-bench accepts', () => {
    const run = stepRunning('im-bench run').run!;
    const expressions = [...run.matchAll(/--threshold '([^']+)'/g)].map((match) => match[1]!);
    expect(expressions).toContain('lost==0');
    expect(expressions.some((expression) => /p99</.test(expression))).toBe(true);
    for (const expression of expressions)
      expect(parseThreshold(expression, TRANSPORT_NAMES), expression).toMatchObject({ ok: true });
    // The step ends with the run's own exit code, after writing the thresholds to the summary.
    expect(run.trimEnd().endsWith('exit "$status"')).toBe(true);
  });

  it('compares with the baseline too, even when a threshold failed', () => {
    expect(stepRunning('im-bench compare').if).toContain('!cancelled()');
  });
});
