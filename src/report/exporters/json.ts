import type { RunResult } from '../result.js';

export function serialize(result: RunResult): string {
  return `${JSON.stringify(result, null, 2)}\n`;
}
