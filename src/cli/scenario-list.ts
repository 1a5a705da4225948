import type { TransportName } from '../document/scenario.js';
import { scenarioField } from '../scenario/fields.js';
import type { ScenarioListing } from '../scenario/loader.js';

/** The values a listing shows, by their field (and flag) names: what sizes a run. */
const SHOWN_FIELDS = ['clients', 'rate', 'pattern', 'payload', 'duration', 'warmup', 'poll-interval', 'fault'];

/** Where the values' lines wrap, so that a listing reads in an 80-column terminal. */
const WIDTH = 80;

/** `im-bench scenarios`: each built-in, names aligned, its description, then its values as flags would set them. */
export function formatScenarioList(listings: readonly ScenarioListing[], techniques: readonly TransportName[]): string {
  const width = Math.max(...listings.map((listing) => listing.name.length));
  return listings
    .map((listing) => `${listing.name.padEnd(width)}  ${listing.description}\n${values(listing, techniques)}`)
    .join('');
}

/** `  clients 100 · rate 2 · …`, wrapped, one line break after each line. */
function values({ scenario }: ScenarioListing, techniques: readonly TransportName[]): string {
  const shown = SHOWN_FIELDS.flatMap((name) => {
    const field = scenarioField(name, techniques);
    if (field === undefined || (name === 'fault' && scenario.fault === 'none')) return [];
    return [`${name} ${field.format(scenario[field.property] as never)}`];
  });
  const lines = [''];
  for (const item of shown) {
    const line = lines.at(-1)!;
    if (line !== '' && `  ${line} · ${item}`.length > WIDTH) lines.push(item);
    else lines[lines.length - 1] = line === '' ? item : `${line} · ${item}`;
  }
  return lines.map((line) => `  ${line}\n`).join('');
}
