// Regenerates the example reports in this folder from real runs on this machine:
//   npm run reports
// The default comparison (built-in scenario notify) and a sweep over client counts, each as
// JSON (the document), Markdown and HTML, written by the CLI itself.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(new URL('.', import.meta.url));
const cli = fileURLToPath(new URL('../bin/im-bench.js', import.meta.url));

function imBench(args) {
  console.error(`im-bench ${args.join(' ')}`);
  const result = spawnSync(process.execPath, [cli, ...args], { cwd: here, stdio: ['ignore', 'inherit', 'inherit'] });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

const outs = (name) => ['json', 'md', 'html'].flatMap((extension) => ['--out', `${name}.${extension}`]);

imBench(['run', '--quiet', ...outs('notify')]);
imBench(['sweep', '--quiet', '--clients', '10,100,1000', '--duration', '5s', ...outs('sweep-clients')]);
