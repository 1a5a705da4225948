import type { ErrorObject } from 'ajv';
import { ImBenchError } from '../core/errors.js';
import { showValue } from '../core/show-value.js';

/** IMB_ERR_INVALID_PROFILE (exit 2): the message names the file, the field and what was expected. */
export function profileError(message: string, cause?: unknown): ImBenchError {
  return new ImBenchError('IMB_ERR_INVALID_PROFILE', message, cause === undefined ? undefined : { cause });
}

/** `/techniques/sse/cursor` → `techniques.sse.cursor`; the top level is `the profile`. */
export function fieldName(pointer: string): string {
  if (pointer === '') return 'the profile';
  return pointer
    .slice(1)
    .split('/')
    .map((part) => part.replaceAll('~1', '/').replaceAll('~0', '~'))
    .join('.');
}

/** The value at a JSON pointer of `data`, to show what was found. */
function valueAt(data: unknown, pointer: string): unknown {
  let value = data;
  const parts = pointer === '' ? [] : pointer.slice(1).split('/');
  for (const part of parts.map((each) => each.replaceAll('~1', '/').replaceAll('~0', '~'))) {
    if (typeof value !== 'object' || value === null) return undefined;
    value = (value as Record<string, unknown>)[part];
  }
  return value;
}

function join(field: string, child: string): string {
  return field === 'the profile' ? child : `${field}.${child}`;
}

/**
 * One of ajv's errors as a person reads it: the field, what was expected, what was there. ajv
 * runs with allErrors off, so the first error is the one that stopped it.
 */
export function describeSchemaError(error: ErrorObject, data: unknown): string {
  const field = fieldName(error.instancePath);
  const got = showValue(valueAt(data, error.instancePath));
  const params = error.params as Record<string, unknown>;
  // A key that fails its object's propertyNames: ajv reports the inner failure with the key set.
  if (error.propertyName !== undefined) {
    const key = join(field, error.propertyName);
    if (!error.schemaPath.includes('/techniques/'))
      return `${key}: not a header name (letters, digits, - _ . and such)`;
    const allowed = error.keyword === 'enum' ? (params['allowedValues'] as unknown[]).map(String).join(', ') : null;
    return `${key}: not a technique${allowed === null ? '' : ` (expected one of ${allowed})`}`;
  }
  switch (error.keyword) {
    case 'required':
      return `${join(field, String(params['missingProperty']))}: missing (it is required)`;
    case 'additionalProperties':
      return `${join(field, String(params['additionalProperty']))}: not a field of a profile here`;
    case 'enum':
      return `${field}: expected one of ${(params['allowedValues'] as unknown[]).map(String).join(', ')}, got ${got}`;
    case 'const':
      return `${field}: expected ${showValue(params['allowedValue'])}, got ${got}`;
    case 'type':
      return `${field}: expected ${article(String(params['type']))}, got ${got}`;
    case 'pattern':
      return `${field}: expected ${patternHint(field)}, got ${got}`;
    default:
      return `${field}: ${error.message ?? 'not valid'}, got ${got}`;
  }
}

function article(type: string): string {
  if (type === 'object') return 'a mapping of fields';
  if (type === 'array') return 'a list';
  return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}

/** What a pattern asks for, in words, by the field it guards. */
function patternHint(field: string): string {
  const last = field.split('.').at(-1) ?? field;
  if (last === 'name') return 'lower-case letters, digits and dashes, at most 40';
  if (last === 'path' || last === 'ready') return 'a path starting with / and without spaces ({ch} for the channel)';
  if (field.includes('headers')) return 'a header name and a value without line breaks';
  if (last === 'cursor-param') return 'a query parameter name (letters, digits, _ . ~ -)';
  if (last === 'subprotocol') return 'a subprotocol token';
  if (last === 'config') return 'a file name beside the profile, without folders';
  if (field.startsWith('server.requires.files')) return 'an absolute path';
  return 'another form';
}
