import type { CapacityResult } from '../../document/capacity.js';

export function serializeCapacityJson(result: CapacityResult): string {
  return `${JSON.stringify(result, null, 2)}\n`;
}
