import { readFileSync } from 'node:fs';
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';

/** The committed schema of each version of the result document. */
const RESULT_SCHEMA_PATHS: Record<string, URL> = {
  'im-bench/result@1': new URL('../../schema/result-v1.schema.json', import.meta.url),
  'im-bench/result@2': new URL('../../schema/result-v2.schema.json', import.meta.url),
  'im-bench/result@3': new URL('../../schema/result-v3.schema.json', import.meta.url),
};
export const CAPACITY_SCHEMA_PATH = new URL('../../schema/capacity-v1.schema.json', import.meta.url);

const RFC3339 = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:\d\d)$/i;

const ajv = new Ajv2020({ allErrors: true, strict: true });
// ajv-formats is not a dependency; the one format the schemas use is checked here.
ajv.addFormat('date-time', (value: string) => RFC3339.test(value) && !Number.isNaN(Date.parse(value)));
const compile = (path: URL): ValidateFunction => ajv.compile(JSON.parse(readFileSync(path, 'utf8')) as object);
const validateResultSchemas = new Map(Object.entries(RESULT_SCHEMA_PATHS).map(([id, path]) => [id, compile(path)]));
const validateCapacitySchema = compile(CAPACITY_SCHEMA_PATH);

/**
 * Checks a result document against the committed schema of the version it names (the current
 * one for a version there is none of): one message per problem, none when valid.
 */
export function validateResult(doc: unknown): string[] {
  const version = (doc as { schema?: unknown } | null)?.schema;
  const validate = validateResultSchemas.get(String(version)) ?? validateResultSchemas.get('im-bench/result@3')!;
  return problems(validate, doc);
}

/** Checks a capacity document against its committed schema, likewise. */
export function validateCapacity(doc: unknown): string[] {
  return problems(validateCapacitySchema, doc);
}

function problems(validate: ValidateFunction, doc: unknown): string[] {
  if (validate(doc)) return [];
  return (validate.errors ?? []).map(describe);
}

function describe(error: ErrorObject): string {
  const where = error.instancePath === '' ? '(root)' : error.instancePath;
  const extra = error.keyword === 'additionalProperties' ? ` '${String(error.params['additionalProperty'])}'` : '';
  return `${where}: ${error.message ?? error.keyword}${extra}`;
}
