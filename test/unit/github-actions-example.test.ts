import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseDocument } from 'yaml';
import { parseThreshold } from '../../src/report/thresholds/parse.js';
import { TRANSPORT_NAMES } from '../../src/transports/registry.js';

interface Step {
  name?: string;
  if?: string;
  run?: string;
  uses?: string;
  with?: Record<string, unknown>;
}

interface Job {
  name?: string;
  strategy?: { 'fail-fast'?: boolean; matrix?: Record<string, unknown> };
  env: Record<string, string>;
  steps: Step[];
}

const document = parseDocument(readFileSync(new URL('../../examples/github-actions.yml', import.meta.url), 'utf8'));
const job = (document.toJS() as { jobs: { bench: Job } }).jobs.bench;
const { steps } = job;
const stepRunning = (command: string): Step => {
  const found = steps.filter((step) => step.run?.includes(command));
  expect(found, command).toHaveLength(1);
  return found[0]!;
};
const stepUsing = (action: string): Step => {
  const found = steps.filter((step) => step.uses?.split('@')[0] === action);
  expect(found, action).toHaveLength(1);
  return found[0]!;
};
// biome-ignore lint/suspicious/noTemplateCurlyInString: a GitHub Actions expression, written as the workflow has it.
const MATRIX_NODE = '${{ matrix.node }}';

describe('examples/github-actions.yml', () => {
  it('parses', () => {
    expect(document.errors).toEqual([]);
  });

  it('uses the current majors of the actions (Node 24 runtime), and no other action', () => {
    expect(steps.flatMap((step) => (step.uses === undefined ? [] : [step.uses])).sort()).toEqual([
      'actions/checkout@v6',
      'actions/setup-node@v6',
      'actions/upload-artifact@v7',
    ]);
  });

  it('runs a leg per supported Node version, 22 and 24, each judged to the end', () => {
    expect(job.strategy?.matrix).toEqual({ node: [22, 24] });
    expect(job.strategy?.['fail-fast']).toBe(false);
    expect(stepUsing('actions/setup-node').with?.['node-version']).toBe(MATRIX_NODE);
    expect(job.name).toContain(MATRIX_NODE);
  });

  it('compares each leg with a baseline recorded on its own Node version', () => {
    expect(job.env.BASELINE).toContain(MATRIX_NODE);
    expect(stepRunning('im-bench compare').run).toContain('npx im-bench compare "$BASELINE" head.json');
  });

  it('keeps each leg’s result in an artifact of its own, which the missing-baseline hint names', () => {
    const upload = stepUsing('actions/upload-artifact');
    const name = upload.with?.name as string;
    expect(name).toContain(MATRIX_NODE);
    expect(upload.with?.path).toBe('head.json');
    expect(stepRunning('im-bench compare').run).toContain(`from the ${name} artifact`);
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

  it('writes head.json and the thresholds on stderr, and throws no output away', () => {
    const run = stepRunning('im-bench run').run!;
    const command = run.slice(run.indexOf('npx im-bench run'), run.indexOf('status=$?'));
    expect(command).toContain('--out head.json');
    expect(command).not.toMatch(/--json\b/);
    expect(run).not.toContain('/dev/null');
    // Thresholds go to stderr for any format but the table (which prints them on stdout, under it).
    const format = /--format (\w+)/.exec(command)?.[1];
    expect(format).toBeDefined();
    expect(format).not.toBe('table');
    // stdout and stderr each go to a file that the summary then reads.
    const stdout = /[^2]> (\S+)/.exec(command)?.[1];
    const stderr = /2> (\S+)/.exec(command)?.[1];
    expect([stdout, stderr].every((file) => file !== undefined && run.includes(`cat ${file}`))).toBe(true);
  });

  it('compares with the baseline too, even when a threshold failed', () => {
    expect(stepRunning('im-bench compare').if).toContain('!cancelled()');
  });
});
