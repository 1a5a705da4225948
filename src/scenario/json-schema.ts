import type { TransportName } from '../document/scenario.js';
import type { JsonSchema } from './field-values.js';
import { scenarioFields } from './fields.js';
import { THRESHOLD_LIST_SCHEMA, THRESHOLDS_FIELD } from './threshold-list.js';

export const SCENARIO_SCHEMA_FILE = 'scenario-v1.schema.json';
/** The key a JSON scenario may name its schema with, for an editor; the loader passes over it. */
export const SCHEMA_KEY = '$schema';

/**
 * The JSON Schema of a scenario file, made from the field table, so that editors complete and
 * check YAML and JSON scenarios with the same names, values and bounds the loader takes. What
 * JSON Schema cannot say (a duration's bounds, fields that bind each other) the loader still checks.
 */
export function scenarioJsonSchema(techniques: readonly TransportName[]): JsonSchema {
  const properties: Record<string, JsonSchema> = {
    [SCHEMA_KEY]: { type: 'string', description: 'this schema, for editors; im-bench passes over it' },
  };
  for (const field of scenarioFields(techniques)) {
    properties[field.name] = { description: field.meaning, ...field.parse.schema };
  }
  properties[THRESHOLDS_FIELD] = THRESHOLD_LIST_SCHEMA;
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: `https://im-bench.dev/schema/${SCENARIO_SCHEMA_FILE}`,
    title: 'im-bench scenario, version 1',
    description:
      'A workload for im-bench run and sweep (docs/scenarios.md): every field optional, the rest from the defaults. Written in YAML (or JSON); field names in kebab case. Generated from the field table: npm run schemas.',
    type: 'object',
    additionalProperties: false,
    properties,
  };
}
