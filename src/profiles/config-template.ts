import { profileError } from './profile-error.js';

/**
 * A server's config file from its template: each `{{name}}` replaced by its value. Double braces,
 * because nginx's own blocks are written in single ones. A placeholder the run does not fill is
 * an error naming the template, never left in a config the server would then refuse.
 */
export function renderTemplate(
  template: string,
  values: Readonly<Record<string, string | number>>,
  shown: string,
): string {
  return template.replace(/\{\{\s*([A-Za-z0-9_-]+)\s*\}\}/g, (_, name: string) => {
    const value = values[name];
    if (value === undefined)
      throw profileError(`${shown}: unknown placeholder {{${name}}} (known: ${Object.keys(values).join(', ')})`);
    return String(value);
  });
}
