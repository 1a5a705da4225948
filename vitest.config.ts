import { defineConfig } from 'vitest/config';

/**
 * Files that measure (timed runs, fault windows, servers started per technique) run one at a
 * time, after the rest: on 2 cores, another file beside them would be in their figures. The
 * rest (unit tests, clients against fixture servers, hostile input) share both cores.
 */
const MEASURING = [
  'test/e2e/**/*.test.ts',
  'test/profiles/**/*.test.ts',
  'test/hostile/signals-*.test.ts',
  // Unit tests that time this process: its CPU share while spinning, its timers' lateness.
  'test/unit/generator-health.test.ts',
  'test/unit/machine.test.ts',
  'test/unit/process-tree.test.ts',
  'test/unit/schedule-timer.test.ts',
];

const shared = {
  setupFiles: ['test/helpers/setup.ts'],
  testTimeout: 20_000,
  hookTimeout: 20_000,
};

export default defineConfig({
  test: {
    reporters: ['default', 'json'],
    outputFile: { json: 'test-results/results.json' },
    projects: [
      {
        test: {
          ...shared,
          name: 'shared',
          include: ['test/**/*.test.ts'],
          exclude: MEASURING,
          maxWorkers: 2,
          sequence: { groupOrder: 0 },
        },
      },
      {
        test: {
          ...shared,
          name: 'alone',
          include: MEASURING,
          fileParallelism: false,
          globalSetup: ['test/helpers/hostile-summary.ts'],
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
