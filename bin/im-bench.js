#!/usr/bin/env node
// Loading the CLI takes a moment: a signal meanwhile ends it as main() would before it has started
// anything (exit 3, aborted; `serve` exits 0, as on its first signal), not by the signal itself.
// These listeners stay (removing the last one could drop a signal already on its way) and stand
// aside once main() has taken the signals over.
let loaded = false;
const onEarlySignal = (signal) => {
  if (loaded) return;
  if (process.argv[2] === 'serve') process.exit(0);
  process.stderr.write(`\nstopped by ${signal}\n`);
  process.exit(3);
};
process.on('SIGINT', onEarlySignal);
process.on('SIGTERM', onEarlySignal);
process.on('SIGHUP', onEarlySignal);
let main;
try {
  ({ main } = await import('../dist/cli/main.js'));
} catch (error) {
  if (error?.code !== 'ERR_MODULE_NOT_FOUND' || !String(error.message).includes('dist/cli/main.js')) throw error;
  process.stderr.write('Error: im-bench is not built: run `npm install` (or `npm run build`) in its folder first\n');
  process.exit(4);
}
loaded = true;
await main(process.argv);
