// Prints one step of this example with its shard count N filled in, ready for kubectl:
//
//   node render.mjs shards N | kubectl apply -f -   # shards.yaml: the shared volume and the N shard pods
//   node render.mjs merge N | kubectl apply -f -    # merge.yaml: merges the N shard documents
//
// The templates hold ${N} wherever the count goes; nothing else is substituted. Node alone, no packages.
import { readFileSync } from 'node:fs';

const STEPS = ['shards', 'merge'];
const MAX_SHARDS = 1000;

function fail(message) {
  process.stderr.write(`render.mjs: ${message}\nusage: node render.mjs <${STEPS.join('|')}> <N>\n`);
  process.exit(2);
}

const given = (value) => (value === undefined ? ': none was given' : `, not ${JSON.stringify(value)}`);

const [step, count, ...extra] = process.argv.slice(2);
if (!STEPS.includes(step)) fail(`the first argument (the step) must be ${STEPS.join(' or ')}${given(step)}`);
const shards = /^\d+$/.test(count ?? '') ? Number(count) : Number.NaN;
if (!(shards >= 1 && shards <= MAX_SHARDS)) {
  fail(`N (the second argument, the shard count) must be an integer from 1 to ${MAX_SHARDS}${given(count)}`);
}
if (extra.length > 0) fail(`unexpected argument ${JSON.stringify(extra[0])}: give the step and N only`);

const template = readFileSync(new URL(`${step}.yaml`, import.meta.url), 'utf8');
process.stdout.write(template.replace(/\$\{N\}/g, String(shards)));
