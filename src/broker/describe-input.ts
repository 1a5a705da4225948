/** How much of a received string an error message quotes. */
const QUOTED_CHARACTERS = 64;

/**
 * A received string for an error message: JSON-quoted, cut after `QUOTED_CHARACTERS` with its
 * length said, so that a 60 KB value never comes back as a 60 KB message.
 */
export function quoteInput(text: string): string {
  if (text.length <= QUOTED_CHARACTERS) return JSON.stringify(text);
  // Cutting between the halves of a surrogate pair would leave a lone half: cut before it.
  const end = /[\ud800-\udbff]/.test(text[QUOTED_CHARACTERS - 1]!) ? QUOTED_CHARACTERS - 1 : QUOTED_CHARACTERS;
  return `${JSON.stringify(text.slice(0, end))}… (${text.length} characters)`;
}

/**
 * A received JSON value for an error message, in a few words. It never looks inside arrays or
 * objects, so it costs the same for a value nested 100,000 levels deep as for `1`, and never
 * recurses (JSON.stringify of such a value overflows the stack).
 */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (typeof value === 'string') return `the string ${quoteInput(value)}`;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return `an array of ${value.length} item${value.length === 1 ? '' : 's'}`;
  if (typeof value === 'object') return 'an object';
  return `a ${typeof value}`;
}
