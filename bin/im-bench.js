#!/usr/bin/env node
let main;
try {
  ({ main } = await import('../dist/cli/main.js'));
} catch (error) {
  if (error?.code !== 'ERR_MODULE_NOT_FOUND' || !String(error.message).includes('dist/cli/main.js')) throw error;
  process.stderr.write('Error: im-bench is not built: run `npm install` (or `npm run build`) in its folder first\n');
  process.exit(4);
}
await main(process.argv);
