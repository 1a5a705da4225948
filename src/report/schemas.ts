import { readFile, writeFile } from 'node:fs/promises';
import { packagePath } from '../core/paths.js';
import { POLLING_TRANSPORTS, TRANSPORT_NAMES } from '../transports/registry.js';
import type { JsonSchema } from '../scenario/field-values.js';
import { SCENARIO_SCHEMA_FILE, scenarioJsonSchema } from '../scenario/json-schema.js';

/**
 * The committed JSON Schemas (schema/) with their technique enums written from the registry (and
 * the scenario file's made whole from the field table), so no schema keeps a list of its own: `npm run schemas` writes them; a test fails when a
 * committed file differs from what this makes.
 */
const ENUMS: Record<string, { path: readonly string[]; values: readonly string[] }> = {
  'result-v1.schema.json': { path: ['$defs', 'transportName'], values: TRANSPORT_NAMES },
  'result-v2.schema.json': { path: ['$defs', 'transportName'], values: TRANSPORT_NAMES },
  'result-v3.schema.json': { path: ['$defs', 'transportName'], values: TRANSPORT_NAMES },
  'capacity-v1.schema.json': { path: ['$defs', 'measurement', 'properties', 'transport'], values: POLLING_TRANSPORTS },
  'profile-v1.schema.json': { path: ['properties', 'techniques', 'propertyNames'], values: TRANSPORT_NAMES },
};

/** Schemas written whole from code: the scenario file's, from the field table. */
const GENERATED: Record<string, () => JsonSchema> = {
  [SCENARIO_SCHEMA_FILE]: () => scenarioJsonSchema(TRANSPORT_NAMES),
};

export const SCHEMA_FILES: readonly string[] = [...Object.keys(ENUMS), ...Object.keys(GENERATED)];

export function schemaPath(file: string): string {
  return packagePath('schema', file);
}

/** The schema file as it should be: its text with the enum replaced (or all of it made), formatted as committed. */
export async function generateSchema(file: string): Promise<string> {
  const generated = GENERATED[file];
  if (generated !== undefined) return `${JSON.stringify(generated(), null, 2)}\n`;
  const { path, values } = ENUMS[file]!;
  const schema = JSON.parse(await readFile(schemaPath(file), 'utf8')) as Record<string, unknown>;
  let node = schema;
  for (const key of path) node = node[key] as Record<string, unknown>;
  node['enum'] = [...values];
  return `${JSON.stringify(schema, null, 2)}\n`;
}

/** Writes every schema with its enums from the registry; returns the files that changed. */
export async function writeSchemas(): Promise<string[]> {
  const changed: string[] = [];
  for (const file of SCHEMA_FILES) {
    const text = await generateSchema(file);
    if (text === (await readFile(schemaPath(file), 'utf8').catch(() => undefined))) continue;
    await writeFile(schemaPath(file), text);
    changed.push(file);
  }
  return changed;
}
