import { readFileSync } from 'node:fs';
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';

export const RESULT_SCHEMA_PATH = new URL('../../schema/result-v2.schema.json', import.meta.url);
export const CAPACITY_SCHEMA_PATH = new URL('../../schema/capacity-v1.schema.json', import.meta.url);

const RFC3339 = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:\d\d)$/i;

const ajv = new Ajv2020({ allErrors: true, strict: true });
// ajv-formats is not a dependency; the one format the schemas use is checked here.
ajv.addFormat('date-time', (value: string) => RFC3339.test(value) && !Number.isNaN(Date.parse(value)));
const compile = (path: URL): ValidateFunction => ajv.compile(JSON.parse(readFileSync(path, 'utf8')) as object);
const validateResultSchema = compile(RESULT_SCHEMA_PATH);
const validateCapacitySchema = compile(CAPACITY_SCHEMA_PATH);

/** Checks a result document against the committed schema: one message per problem, none when valid. */
export function validateResult(doc: unknown): string[] {
  return problems(validateResultSchema, doc);
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
