// Regenerates the example reports in this folder from real runs on this machine:
//   npm run reports
// The default comparison (built-in scenario notify), the same on four kinds of server (needs
// nginx-light and libnginx-mod-nchan), and a sweep over client counts, each as a JSON document
// written by the CLI itself; then their Markdown and HTML and the README's sample
// table, rendered from those documents (render.mjs), so that every rendering follows its JSON.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { renderReports } from './render.mjs';

const here = fileURLToPath(new URL('.', import.meta.url));
const cli = fileURLToPath(new URL('../bin/im-bench.js', import.meta.url));

function imBench(args) {
  console.error(`im-bench ${args.join(' ')}`);
  const result = spawnSync(process.execPath, [cli, ...args], { cwd: here, stdio: ['ignore', 'inherit', 'inherit'] });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

imBench(['run', '--quiet', '--out', 'notify.json']);
imBench(['run', '--quiet', '--server', 'reference,nchan,socketio,socketio-recovery', '--out', 'servers.json']);
imBench(['sweep', '--quiet', '--clients', '10,100,1000', '--duration', '5s', '--out', 'sweep-clients.json']);
renderReports();
