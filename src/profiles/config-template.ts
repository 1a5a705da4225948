import { profileError } from './profile-error.js';

/** `{{#name}}…{{/name}}`: kept when the value of `name` is set (not '', 0 or absent), dropped otherwise. */
const SECTION = /\{\{#\s*([A-Za-z0-9_-]+)\s*\}\}([\s\S]*?)\{\{\/\s*\1\s*\}\}/g;
const PLACEHOLDER = /\{\{\s*([A-Za-z0-9_-]+)\s*\}\}/g;

/**
 * A server's config file from its template: each `{{name}}` replaced by its value, each
 * `{{#name}}…{{/name}}` section kept or dropped as `name` is set or not (as mustache's, which
 * may nest when their names differ: `{{#tls}} ssl{{#http2}} http2{{/http2}}{{/tls}}`). Double
 * braces, because nginx's own blocks are written in single ones. A placeholder the run does not
 * fill, in what is kept, is an error naming the template, never left in a config the server
 * would then refuse.
 */
export function renderTemplate(
  template: string,
  values: Readonly<Record<string, string | number>>,
  shown: string,
): string {
  let text = template;
  for (let before = ''; before !== text; ) {
    before = text;
    text = text.replace(SECTION, (_, name: string, body: string) => (isSet(values[name]) ? body : ''));
  }
  const stray = /\{\{\s*[#/]\s*([A-Za-z0-9_-]+)\s*\}\}/.exec(text);
  if (stray !== null) throw profileError(`${shown}: ${stray[0]} has no matching {{#${stray[1]}}} … {{/${stray[1]}}}`);
  return text.replace(PLACEHOLDER, (_, name: string) => {
    const value = values[name];
    if (value === undefined)
      throw profileError(`${shown}: unknown placeholder {{${name}}} (known: ${Object.keys(values).join(', ')})`);
    return String(value);
  });
}

function isSet(value: string | number | undefined): boolean {
  return value !== undefined && value !== '' && value !== 0;
}
