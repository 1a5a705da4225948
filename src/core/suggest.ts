import { distance } from 'fastest-levenshtein';

const MAX_NAME_LENGTH = 64;

/** Lower case, with camelCase humps, underscores and spaces as dashes: `pollInterval`, `POLL_INTERVAL` and `poll-interval` are one name. */
function normalized(name: string): string {
  return name
    .trim()
    .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
    .replace(/[_\s]+/g, '-')
    .toLowerCase();
}

/**
 * The candidate `value` was most likely meant to be, for a "did you mean" hint: the one an alias
 * names (what no edit distance finds, such as `ws` for websocket), else one equal to it but for
 * case and separators, else the nearest within a third of its length. Undefined when none is near.
 */
export function closest(
  value: string,
  candidates: readonly string[],
  aliases: ReadonlyMap<string, string> = new Map(),
): string | undefined {
  const key = normalized(value);
  // No name is that long: a key of thousands of characters is no typo, and not worth comparing.
  if (key === '' || key.length > MAX_NAME_LENGTH) return undefined;
  const alias = aliases.get(key);
  if (alias !== undefined && candidates.includes(alias)) return alias;
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const candidate of candidates) {
    const apart = distance(key, normalized(candidate));
    if (apart < bestDistance) {
      best = candidate;
      bestDistance = apart;
    }
  }
  return bestDistance <= Math.max(1, Math.floor(key.length / 3)) ? best : undefined;
}
