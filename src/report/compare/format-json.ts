import type { Comparison } from '../../document/comparison.js';

/**
 * The Comparison object as is (its fields are documented in compare.ts), 2-space indented.
 * `schema` ("im-bench/compare@3") changes only when a field changes meaning or goes away;
 * fields may be added (see COMPARISON_SCHEMA for what each version changed). Numbers are raw (ms, msg/s, bytes, µs, copies; `relative` is a
 * fraction: 0.34 for +34%); unmeasured values and changes are null.
 */
export function serialize(comparison: Comparison): string {
  return `${JSON.stringify(comparison, null, 2)}\n`;
}
