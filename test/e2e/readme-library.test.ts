import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { defer } from '../helpers/cleanup.js';

const MARKER = '<!-- library-example: test/e2e/readme-library.test.ts runs this block -->';
const PACKAGE_ENTRY = new URL('../../dist/index.js', import.meta.url).href;

/** The README's library example: the first js block after its marker. */
function readmeExample(): string {
  const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
  const after = readme.slice(readme.indexOf(MARKER));
  const block = /```js\n([\s\S]*?)```/.exec(after);
  expect(readme.includes(MARKER) && block !== null, 'the README has its library example').toBe(true);
  return block![1]!;
}

describe('the README library example', () => {
  it('is at most ten lines, runs as written against the built package, and judges its second run against its first', async () => {
    const example = readmeExample();
    expect(
      example
        .trim()
        .split('\n')
        .filter((line) => line.trim() !== '').length,
    ).toBeLessThanOrEqual(10);
    const dir = mkdtempSync(join(tmpdir(), 'im-bench-readme-'));
    defer(() => rmSync(dir, { recursive: true, force: true }));
    // The package by its built entry, as `import … from 'im-bench'` finds it once installed.
    writeFileSync(join(dir, 'example.mjs'), example.replace("from 'im-bench'", `from '${PACKAGE_ENTRY}'`));
    const runExample = () => promisify(execFile)(process.execPath, ['example.mjs'], { cwd: dir, timeout: 60_000 });

    const first = await runExample();
    expect(first.stdout).toMatch(/│ +│ +sse │ +websocket │/);
    expect(first.stderr).toContain('websocket: measuring');
    expect(readFileSync(join(dir, 'notify.md'), 'utf8')).toMatch(/^# /);
    expect(existsSync(join(dir, 'base.json'))).toBe(true);

    const second = await runExample();
    expect(second.stdout).toMatch(/^regressed figures: \d+$/m);
  }, 120_000);
});
