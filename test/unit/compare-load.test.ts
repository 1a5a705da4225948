import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  loadResult,
  parseResult,
  REQUIRED_FIGURES,
  REQUIRED_SCENARIO_FIELDS,
} from '../../src/document/result-check.js';
import { SCENARIO_RULES } from '../../src/report/compare/comparability.js';
import { FIGURES } from '../../src/report/compare/figures.js';
import { TRANSPORT_NAMES } from '../../src/transports/registry.js';
import { fixturePath, rejected, thrown } from '../helpers/compare.js';

describe('loading a result for compare', () => {
  const text = (): string => readFileSync(fixturePath('pass', 'base'), 'utf8');

  it.each([
    [
      '{"schema": "im-bench/result@4"}',
      'old.json: schema: expected "im-bench/result@1" or "im-bench/result@2" or "im-bench/result@3", got "im-bench/result@4"',
    ],
    [
      '{"transports": []}',
      'old.json: schema: expected "im-bench/result@1" or "im-bench/result@2" or "im-bench/result@3", got nothing',
    ],
    ['[1, 2]', 'old.json: expected a result document (a JSON object), got an array'],
  ])('refuses %s', (document, message) => {
    const error = thrown(() => parseResult(document, 'old.json', TRANSPORT_NAMES));
    expect(error.message).toBe(message);
    expect(error.exitCode).toBe(2);
  });

  it('refuses text that is not JSON', () => {
    expect(thrown(() => parseResult('{"schema": ', 'old.json', TRANSPORT_NAMES)).message).toMatch(
      /^old\.json: not JSON \(/,
    );
  });

  it('names the first figure that is missing or not a number', () => {
    const document = JSON.parse(text()) as { transports: Array<{ latency: Record<string, unknown> }> };
    document.transports[1]!.latency['p99'] = '3 ms';
    expect(thrown(() => parseResult(JSON.stringify(document), 'old.json', TRANSPORT_NAMES)).message).toBe(
      'old.json: transports[1].latency.p99: expected a number, got "3 ms"',
    );
  });

  it('checks the figures of every repetition too', () => {
    const document = JSON.parse(readFileSync(fixturePath('noise', 'base'), 'utf8')) as {
      transports: Array<{ repetitions: Array<{ delivery: Record<string, unknown> }> }>;
    };
    delete document.transports[0]!.repetitions[2]!.delivery['lost'];
    expect(thrown(() => parseResult(JSON.stringify(document), 'old.json', TRANSPORT_NAMES)).message).toBe(
      'old.json: transports[0].repetitions[2].delivery.lost: expected a number, got nothing',
    );
  });

  it("checks the model's measured inputs when a document has them, and loads one without them", () => {
    const document = JSON.parse(text()) as { transports: Array<{ bytes: Record<string, unknown> }> };
    expect(document.transports[0]!.bytes['wire']).toBeUndefined();
    expect(() => parseResult(JSON.stringify(document), 'old.json', TRANSPORT_NAMES)).not.toThrow();
    document.transports[0]!.bytes['wire'] = {
      messageExchanges: 1,
      messageHeadBytes: 400,
      emptyExchanges: 0,
      emptyHeadBytes: 0,
      envelopes: -1,
      envelopeBytes: 170,
      otherBytes: 2,
      h200: 400,
      h204: null,
      e: 170,
    };
    expect(thrown(() => parseResult(JSON.stringify(document), 'old.json', TRANSPORT_NAMES)).message).toBe(
      'old.json: transports[0].bytes.wire.envelopes: expected a count, got -1',
    );
    document.transports[0]!.bytes['wire'] = 'all of them';
    expect(thrown(() => parseResult(JSON.stringify(document), 'old.json', TRANSPORT_NAMES)).message).toBe(
      'old.json: transports[0].bytes.wire: expected an object, got "all of them"',
    );
  });

  it('says when the file cannot be read', async () => {
    const error = await rejected(() => loadResult('/nonexistent/base.json', TRANSPORT_NAMES));
    expect(error.message).toBe('/nonexistent/base.json: cannot read it (ENOENT)');
    expect(error.exitCode).toBe(2);
  });

  it('refuses a technique the registry does not know', () => {
    const document = JSON.parse(text()) as { transports: Array<{ transport: string }> };
    document.transports[1]!.transport = 'carrier-pigeon';
    expect(thrown(() => parseResult(JSON.stringify(document), 'old.json', TRANSPORT_NAMES)).message).toBe(
      `old.json: transports[1].transport: expected one of ${TRANSPORT_NAMES.join(', ')}, got "carrier-pigeon"`,
    );
  });

  it('requires every number compare reads and every scenario field it matches', () => {
    const required = REQUIRED_FIGURES.map((path) => path.join('.'));
    for (const figure of Object.values(FIGURES)) {
      for (const path of [figure.path, figure.measuredWhen])
        if (path !== null) expect(required).toContain(path.join('.'));
    }
    for (const { property } of SCENARIO_RULES) expect(REQUIRED_SCENARIO_FIELDS).toContain(property);
  });
});
