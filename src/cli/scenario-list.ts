import type { ScenarioListing } from '../scenario/loader.js';

/** `im-bench scenarios`: one line per built-in, names aligned. */
export function formatScenarioList(listings: readonly ScenarioListing[]): string {
  const width = Math.max(...listings.map((listing) => listing.name.length));
  return listings.map((listing) => `${listing.name.padEnd(width)}  ${listing.description}\n`).join('');
}
