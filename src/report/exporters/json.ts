import type { RunResult } from '../../document/result.js';

export function serialize(result: RunResult): string {
  return `${JSON.stringify(result, null, 2)}\n`;
}
