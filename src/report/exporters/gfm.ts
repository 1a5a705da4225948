/** GitHub-flavoured Markdown building blocks: plain text only, no HTML, so it fits a CI job summary. */

export type Align = 'left' | 'right';

/** Text that GFM shows as written: markup characters escaped, on one line. */
export function escapeText(text: string): string {
  return text.replace(/\s*\r?\n\s*/g, ' ').replace(/[\\`*_[\]<>|~#&]/g, '\\$&');
}

/** A pipe table; every cell is plain text, escaped here. */
export function table(head: readonly string[], rows: readonly (readonly string[])[], align: readonly Align[]): string {
  const line = (cells: readonly string[]): string => `| ${cells.map(escapeText).join(' | ')} |`;
  const rule = `|${head.map((_, i) => (align[i] === 'right' ? ' ---: ' : ' :--- ')).join('|')}|`;
  return [line(head), rule, ...rows.map(line)].join('\n');
}

export function bullets(items: readonly string[]): string {
  return items.map((item) => `- ${escapeText(item)}`).join('\n');
}
