import { readFileSync } from 'node:fs';

const README = new URL('../../README.md', import.meta.url);

/** The README's quick start: each `npx im-bench …` line's arguments, in order, comments left out. */
export function quickStartCommands(): string[][] {
  const readme = readFileSync(README, 'utf8');
  const section = readme.slice(readme.indexOf('## Quick start'));
  const block = /```sh\n([\s\S]*?)```/.exec(section)?.[1] ?? '';
  return block
    .split('\n')
    .map((line) => line.replace(/#.*$/, '').trim())
    .filter((line) => line.startsWith('npx im-bench '))
    .map((line) => line.slice('npx im-bench '.length).split(/\s+/));
}

/** The quick start's command that starts with `words` (its first such line). */
export function quickStartCommand(...words: string[]): string[] {
  const found = quickStartCommands().find((args) => words.every((word, i) => args[i] === word));
  if (found === undefined) throw new Error(`the README's quick start has no "npx im-bench ${words.join(' ')}"`);
  return found;
}
