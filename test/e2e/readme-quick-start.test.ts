import { describe, expect, it } from 'vitest';
import { runCli, spawnServe } from '../helpers/cli.js';
import { quickStartCommand, quickStartCommands } from '../helpers/readme.js';

// The first quick run (`run --clients 20 --duration 2s`) is run-cli.test.ts's first test, which
// checks its document against the schema; the others are run here, smaller where they take a size.
const SMOKE_RUN = [
  '--transport',
  'sse',
  '--clients',
  '5',
  '--duration',
  '1s',
  '--ramp-up',
  '100ms',
  '--warmup',
  '200ms',
];

describe("the README's quick start", () => {
  it('has the commands these tests run, and no other', () => {
    expect(quickStartCommands().map((args) => args.join(' '))).toEqual([
      'run --clients 20 --duration 2s',
      'run',
      'serve',
      'capacity',
    ]);
  });

  it('npx im-bench run: the default scenario, smoke-sized', async () => {
    const result = await runCli([...quickStartCommand('run'), ...SMOKE_RUN], 30_000);
    expect([result.code, result.stderr]).toEqual([0, '']);
    expect(result.stdout).toContain('Scenario notify: 5 clients');
  });

  it('npx im-bench serve: the reference server and its demo page', async () => {
    const serve = await spawnServe(quickStartCommand('serve').slice(1));
    const page = await fetch(serve.url);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<h1>Ways to push a message</h1>');
  });

  it('npx im-bench capacity: the polling ceiling, smoke-sized', async () => {
    const args = ['--transport', 'short-polling', '--duration', '1s', '--warmup', '0', '--connections', '10'];
    const result = await runCli([...quickStartCommand('capacity'), ...args], 30_000);
    expect([result.code, result.stderr]).toEqual([0, '']);
    expect(result.stdout).toContain('short-polling');
  });
});
