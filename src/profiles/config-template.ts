import { profileError } from './profile-error.js';

/** `{{name}}`, `{{#name}}`, `{{^name}}` or `{{/name}}`, spaces allowed inside the braces. */
const TAG = /\{\{\s*([#^/]?)\s*([A-Za-z0-9_-]+)\s*\}\}/g;

interface OpenSection {
  name: string;
  /** As written: `{{#tls}}`. */
  tag: string;
  /** Its text is written: it and every section around it are kept. */
  kept: boolean;
}

/**
 * A server's config file from its template: each `{{name}}` replaced by its value; a section
 * `{{#name}}…{{/name}}` kept when `name` is set (not '' or 0) and dropped otherwise, and
 * `{{^name}}…{{/name}}` the other way round, as mustache's. Sections nest, the last opened
 * closing first. Double braces, because nginx's own blocks are written in single ones. A
 * name the run does not give (a placeholder in kept text, or any section), or a section left
 * open or closed out of turn, is an error naming the template, never left in a config the
 * server would then refuse or misread.
 */
export function renderTemplate(
  template: string,
  values: Readonly<Record<string, string | number>>,
  shown: string,
): string {
  const open: OpenSection[] = [];
  const kept = (): boolean => open.length === 0 || open[open.length - 1]!.kept;
  const unknown = (tag: string): Error =>
    profileError(`${shown}: unknown placeholder ${tag} (known: ${Object.keys(values).join(', ')})`);
  let out = '';
  let at = 0;
  for (const match of template.matchAll(TAG)) {
    const [tag, kind, name] = match as unknown as [string, string, string];
    if (kept()) out += template.slice(at, match.index);
    at = match.index + tag.length;
    if (kind === '/') {
      const closing = open.pop();
      if (closing?.name !== name)
        throw profileError(
          `${shown}: ${tag} ${closing === undefined ? 'closes no open section' : `comes while ${closing.tag} is open (the last section opened closes first)`}`,
        );
      continue;
    }
    const value = values[name];
    if (value === undefined && (kind !== '' || kept())) throw unknown(tag);
    if (kind === '') {
      if (kept()) out += String(value);
      continue;
    }
    const set = value !== '' && value !== 0;
    open.push({ name, tag, kept: kept() && (kind === '#' ? set : !set) });
  }
  const left = open.pop();
  if (left !== undefined) throw profileError(`${shown}: ${left.tag} is never closed with {{/${left.name}}}`);
  return out + template.slice(at);
}
