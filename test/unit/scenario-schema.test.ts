import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { SCENARIO_SCHEMA_FILE } from '../../src/scenario/json-schema.js';
import { loadScenario } from '../../src/scenario/loader.js';
import { generateSchema, schemaPath } from '../../src/report/schemas.js';
import { TRANSPORT_NAMES } from '../../src/transports/registry.js';
import { defer } from '../helpers/cleanup.js';

const validate = new Ajv2020({ allErrors: true, strict: true }).compile(
  JSON.parse(readFileSync(schemaPath(SCENARIO_SCHEMA_FILE), 'utf8')) as object,
);
const BUILT_INS = fileURLToPath(new URL('../../scenarios/', import.meta.url));
const FIXTURES = fileURLToPath(new URL('../fixtures/scenarios/', import.meta.url));
const readYaml = (path: string): unknown => parseYaml(readFileSync(path, 'utf8'));

describe(`schema/${SCENARIO_SCHEMA_FILE}`, () => {
  it('is what the field table makes (npm run schemas writes it)', async () => {
    expect(readFileSync(schemaPath(SCENARIO_SCHEMA_FILE), 'utf8')).toBe(await generateSchema(SCENARIO_SCHEMA_FILE));
  });

  it.each(readdirSync(BUILT_INS))('accepts the built-in %s, which names it for editors', (file) => {
    const text = readFileSync(join(BUILT_INS, file), 'utf8');
    expect(text.split('\n')[0]).toBe(`# yaml-language-server: $schema=../schema/${SCENARIO_SCHEMA_FILE}`);
    expect(validate(parseYaml(text)), JSON.stringify(validate.errors)).toBe(true);
  });

  it.each(['custom.yaml', 'custom.json'])('accepts the file the loader accepts: %s', (file) => {
    expect(validate(readYaml(join(FIXTURES, file))), JSON.stringify(validate.errors)).toBe(true);
  });

  it.each([
    ['bad-field.yaml', '/clients'],
    ['bare-duration.yaml', '/duration'],
    ['unknown-field.yaml', ''],
    ['far-field.yaml', ''],
    ['not-a-mapping.yaml', ''],
  ])('refuses what the loader refuses: %s, at "%s"', (file, where) => {
    expect(validate(readYaml(join(FIXTURES, file)))).toBe(false);
    expect(validate.errors?.map((error) => error.instancePath)).toContain(where);
  });

  it.each([
    [{ transport: [] }, false],
    [{ transport: ['sse', 'ws'] }, false],
    [{ transport: 'sse , websocket' }, true],
    [{ transport: 'all' }, true],
    [{ 'ramp-up': 0, warmup: '0', drain: '1.5s', duration: '10 s' }, false],
    [{ 'ramp-up': 0, warmup: '0', drain: '1.5s', duration: ' 10s ' }, true],
    [{ 'fault-share': 1.5 }, false],
    [{ journal: 'yes', 'fault-share': '0.3', rate: '2.5' }, true],
    [{ thresholds: ['p99<50ms', 'lost==0'] }, true],
    [{ thresholds: 'p99<50ms' }, false],
  ])('agrees with the loader on %j (valid: %s)', async (fields, valid) => {
    expect(validate(fields)).toBe(valid);
    const dir = mkdtempSync(join(tmpdir(), 'im-bench-schema-'));
    defer(() => rmSync(dir, { recursive: true, force: true }));
    const path = join(dir, 'scenario.json');
    writeFileSync(path, JSON.stringify({ $schema: `./${SCENARIO_SCHEMA_FILE}`, ...fields }));
    const loaded = await loadScenario(path, {}, TRANSPORT_NAMES).then(
      () => true,
      () => false,
    );
    expect(loaded).toBe(valid);
  });
});
