/**
 * The layers of src/ (DESIGN.md §6), bottom to top: each may import only those below it.
 * Checked in the suite by test/unit/layers.test.ts; `npm run layers` prints the same check.
 */
const LAYERS = [
  'core',
  'document',
  'scenario',
  'broker',
  'transports',
  'server',
  'profiles',
  'harness',
  'report',
  'cli',
];

const upward = LAYERS.slice(0, -1).map((layer, i) => ({
  name: `${layer}-imports-upward`,
  comment: `${layer} may import only ${LAYERS.slice(0, i).join(', ') || 'nothing of im-bench'} (the layers below it)`,
  severity: 'error',
  from: { path: `(^|/)src/${layer}/` },
  to: { path: `(^|/)src/(${LAYERS.slice(i + 1).join('|')})/` },
}));

module.exports = {
  forbidden: [
    ...upward,
    {
      name: 'library-imports-index',
      comment: 'src/index.ts only re-exports: nothing inside the library imports it',
      severity: 'error',
      from: { path: '(^|/)src/.+/' },
      to: { path: '(^|/)src/index\\.ts$' },
    },
    {
      name: 'no-circular',
      comment: 'a module may not depend on itself through others',
      severity: 'error',
      from: { path: '(^|/)src/' },
      to: { circular: true },
    },
  ],
  options: {
    // TypeScript 7 has no compiler API for dependency-cruiser to parse with; swc reads the
    // sources, type-only imports included (they couple layers as much as value imports do).
    parser: 'swc',
    tsPreCompilationDeps: true,
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)src/server/demo/' },
  },
};
