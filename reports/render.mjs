// Renders what is committed beside the JSON documents in this folder from those documents, with
// the CLI itself (`im-bench report`): each document's Markdown and HTML, and the README's sample
// table between its marker comments. `npm run reports` runs it after new runs; on its own
//   npm run reports:render
// brings the renderings up to date with the renderer without measuring anything again.
// test/unit/committed-reports.test.ts fails when any of them differs from what this writes.
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(new URL('.', import.meta.url));
const root = fileURLToPath(new URL('..', import.meta.url));
const cli = fileURLToPath(new URL('../bin/im-bench.js', import.meta.url));
const readme = fileURLToPath(new URL('../README.md', import.meta.url));

/** The README's sample: a fenced block between `<!-- sample: ARGS -->` and `<!-- /sample -->`, rendered by `im-bench ARGS`. */
export const SAMPLE = /(<!-- sample: (.+?) -->\n```\n)[\s\S]*?(```\n<!-- \/sample -->)/;

function imBench(args, cwd) {
  console.error(`im-bench ${args.join(' ')}`);
  const result = spawnSync(process.execPath, [cli, ...args], { cwd, encoding: 'utf8' });
  if (result.status !== 0) {
    process.stderr.write(result.stderr);
    process.exit(result.status ?? 1);
  }
  return result.stdout;
}

export function renderReports() {
  for (const file of readdirSync(here).filter((name) => name.endsWith('.json'))) {
    const name = file.slice(0, -'.json'.length);
    imBench(['report', file, '--format', 'md', '--out', `${name}.md`, '--out', `${name}.html`], here);
  }
  const text = readFileSync(readme, 'utf8');
  const sample = SAMPLE.exec(text);
  if (sample === null) throw new Error('README.md: no <!-- sample: … --> block');
  const table = imBench(sample[2].split(' '), root);
  writeFileSync(
    readme,
    text.replace(SAMPLE, (_, open, _args, close) => `${open}${table}${close}`),
  );
}

if (process.argv[1] === fileURLToPath(import.meta.url)) renderReports();
