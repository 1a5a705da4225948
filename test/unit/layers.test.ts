import { cruise, type ICruiseResult } from 'dependency-cruiser';
import extractDepcruiseOptions from 'dependency-cruiser/config-utl/extract-depcruise-options';
import { describe, expect, it } from 'vitest';

// The layers of src/ (DESIGN.md §6), as .dependency-cruiser.cjs declares them.
const CONFIG = './.dependency-cruiser.cjs';

async function check(folder: string): Promise<ICruiseResult> {
  const options = await extractDepcruiseOptions(CONFIG);
  const result = await cruise([folder], { ...options, validate: true });
  return result.output as ICruiseResult;
}

const violations = (result: ICruiseResult): string[] =>
  result.summary.violations.map((v) => `${v.rule.name}: ${v.from} → ${v.to}`);

describe('layers', () => {
  it('src/ imports only downward: core → document → scenario → broker → transports → server → harness → report → cli', async () => {
    const result = await check('src');
    expect(violations(result)).toEqual([]);
    // A check that cruised nothing (a parser that cannot read TypeScript, say) would pass anything.
    expect(result.summary.totalCruised).toBeGreaterThan(100);
    expect(result.summary.totalDependenciesCruised).toBeGreaterThan(400);
  });

  it('refuses an upward import', async () => {
    const result = await check('test/fixtures/layers/src');
    expect(violations(result)).toEqual([
      'core-imports-upward: test/fixtures/layers/src/core/clock.ts → test/fixtures/layers/src/report/format.ts',
    ]);
  });
});
