import { readFileSync, writeFileSync } from 'node:fs';
import { temporaryFolder } from '../helpers/cleanup.js';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';

// Nothing here measures: these run beside the rest of the shared tests. The sweep that measures
// is test/e2e/sweep-cli.test.ts.
const fixture = (name: string): string => fileURLToPath(new URL(`../fixtures/${name}`, import.meta.url));
const scratch = (): string => temporaryFolder('im-bench-report-');

describe('im-bench report', () => {
  it('renders a saved result in every format, on stdout and into files named by their extension', async () => {
    const dir = scratch();
    const outs = ['r.md', 'r.html', 'r.csv', 'r.json'].map((name) => join(dir, name));
    const result = await runCli([
      'report',
      fixture('result-notify.json'),
      '--format',
      'md',
      ...outs.flatMap((out) => ['--out', out]),
    ]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^# /);
    expect(result.stdout).toContain('| short-polling |');
    expect(readFileSync(outs[0]!, 'utf8')).toBe(result.stdout);
    expect(readFileSync(outs[1]!, 'utf8')).toMatch(/^<!doctype html>/i);
    expect(readFileSync(outs[2]!, 'utf8').split('\n')[0]).toMatch(/^technique,figure,value,unit/);
    // An @2 document is written back as the version read now: the same figures, @3.
    expect(JSON.parse(readFileSync(outs[3]!, 'utf8'))).toEqual({
      ...JSON.parse(readFileSync(fixture('result-notify.json'), 'utf8')),
      schema: 'im-bench/result@3',
    });
    expect((await runCli(['report', fixture('result-notify.json')])).stdout).toContain('┌');
  });

  it('renders a sweep document', async () => {
    const result = await runCli(['report', fixture('sweep-clients.json'), '--format', 'html']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('<svg');
  });

  it('refuses a file that is not a result document with exit 2, naming the file and the problem', async () => {
    const dir = scratch();
    const notJson = join(dir, 'broken.json');
    writeFileSync(notJson, '{"schema": ');
    const wrong = join(dir, 'wrong.json');
    writeFileSync(wrong, '{"schema": "something/else@1"}');
    const cases: Array<[string, string]> = [
      [notJson, `Error: ${notJson}: not JSON`],
      [
        wrong,
        `Error: ${wrong}: schema: expected one of "im-bench/result@1", "im-bench/result@2", "im-bench/result@3", "im-bench/sweep@1", "im-bench/sweep@2", "im-bench/sweep@3", got "something/else@1"`,
      ],
      [join(dir, 'missing.json'), `Error: ${join(dir, 'missing.json')}: cannot read it (ENOENT)`],
    ];
    for (const [file, message] of cases) {
      const result = await runCli(['report', file]);
      expect(result.code, file).toBe(2);
      expect(result.stderr, file).toContain(message);
    }
  });
});

describe('im-bench compare (the real CLI)', () => {
  const pair = (name: string): [string, string] => [
    fixture(`compare/${name}/base.json`),
    fixture(`compare/${name}/head.json`),
  ];

  it.each([
    ['pass', 0],
    ['regression', 1],
    ['noise', 0],
    ['scenario', 2],
    ['schema', 2],
  ] as const)('%s → exit %i', async (name, code) => {
    const result = await runCli(['compare', ...pair(name)]);
    expect(result.code, result.stderr).toBe(code);
    if (code === 2) expect(result.stderr).toMatch(/^Error: /);
    else expect(result.stdout.length).toBeGreaterThan(0);
  });

  it('names an inconclusive change on stderr, with what would decide it, and exits 0', async () => {
    const result = await runCli(['compare', ...pair('noise')]);
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(
      /^warning: sse p99 \+40% is inconclusive: past its limit, but the repetitions cannot tell it from noise .*--repeat \d+ on both sides would decide a change this size$/m,
    );
    // A looser family-wise rate is a flag away; a probability outside (0, 1) is refused first.
    const bad = await runCli(['compare', 'nowhere.json', 'nowhere.json', '--alpha', '5%']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('Error: --alpha: expected a probability between 0 and 1, such as 0.05, got "5%"');
  });

  it('prints Markdown for a CI job summary and names what regressed', async () => {
    const result = await runCli(['compare', ...pair('regression'), '--format', 'md']);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/^## ❌/);
    expect(result.stdout).toContain('p99');
  });

  it('refuses a bad threshold before reading any file', async () => {
    const result = await runCli(['compare', 'nowhere.json', 'nowhere.json', '--threshold', 'p99=10']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('Error: --threshold:');
    expect(result.stderr).toContain('"p99=10"');
  });
});

describe('edge cases of report, sweep and --out', () => {
  it('refuses an --out in a folder that does not exist before measuring anything', async () => {
    const started = Date.now();
    const result = await runCli(['run', '--out', '/nonexistent-folder/r.json']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      'Error: --out: expected a regular file that can be written, in a folder on a disk (/nonexistent-folder: no such folder), got "/nonexistent-folder/r.json"',
    );
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('refuses an --out whose extension names no format, listing those it knows, before measuring or loading', async () => {
    for (const args of [['run'], ['report', fixture('result-notify.json')]]) {
      const result = await runCli([...args, '--out', 'r.xlsx']);
      expect(result.code, args[0]).toBe(2);
      expect(result.stderr, args[0]).toBe(
        'Error: --out: expected a file whose extension names its format (.json, .md, .markdown, .html, .htm, .csv, .txt), or none for JSON, got "r.xlsx"\n',
      );
    }
  });

  it('refuses a result document with missing figures with exit 2 instead of crashing', async () => {
    const dir = scratch();
    const hollow = join(dir, 'hollow.json');
    writeFileSync(hollow, JSON.stringify({ schema: 'im-bench/result@1' }));
    const result = await runCli(['report', hollow, '--format', 'md']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(new RegExp(`^Error: ${hollow.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: `));
    expect(result.stderr).not.toContain('unexpected failure');
  });

  it('refuses repeated sweep values, and checks each value against the rest of the scenario', async () => {
    const twice = await runCli(['sweep', '--clients', '10,10']);
    expect(twice.code).toBe(2);
    expect(twice.stderr).toContain('distinct values (10 is given twice)');
    const chat = await runCli(['sweep', '--scenario', 'chat', '--clients', '2,10']);
    expect(chat.code).toBe(2);
    expect(chat.stderr).toContain('--clients: expected at least channels 5 (from ');
    expect(chat.stderr).toContain('chat.yaml): with publisher clients (from ');
    expect(chat.stderr).toContain('got "2"');
  });
});
