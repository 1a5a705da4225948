import { readFileSync } from 'node:fs';
import { expect } from 'vitest';
import { NO_SAMPLES } from '../../src/core/histogram.js';
import type { RunResult, TransportResult } from '../../src/document/result.js';
import type { TransportName } from '../../src/document/scenario.js';

// Shared by the exporter tests (test/unit/exporters-*.test.ts).

export function load<T>(name: string): () => T {
  const text = readFileSync(new URL(`../fixtures/${name}`, import.meta.url), 'utf8');
  return () => JSON.parse(text) as T;
}

export function section(markdown: string, heading: string): string {
  const start = markdown.indexOf(`\n## ${heading}\n`);
  expect(start, heading).toBeGreaterThanOrEqual(0);
  const end = markdown.indexOf('\n## ', start + 1);
  return markdown.slice(start, end === -1 ? undefined : end);
}

export function findings(markdown: string): string[] {
  return section(markdown, 'What this shows')
    .split('\n')
    .filter((line) => line.startsWith('- '))
    .map((line) => line.slice(2));
}

/** A technique's result as the harness writes it when no copy arrived: every latency and per-message figure null. */
export function nothingDelivered(t: TransportResult): TransportResult {
  return {
    ...t,
    delivery: { ...t.delivery, delivered: 0, deliveredInWindow: 0, throughputPerSecond: 0 },
    latency: { ...NO_SAMPLES },
    requests: { ...t.requests, perMessage: null },
    bytes: { ...t.bytes, perMessage: null, overheadRatio: null },
    server: { ...t.server, cpuMicrosPerMessage: null },
  };
}

export function transport(result: RunResult, name: TransportName) {
  const found = result.transports.find((t) => t.transport === name);
  if (found === undefined) throw new Error(`no ${name} in fixture`);
  return found;
}
