/*
 * One look per technique, the same in every chart. Colours from the Okabe–Ito palette, which
 * stays distinguishable under the common colour-vision deficiencies; polling techniques warm,
 * push techniques cool. Dashes and marker shapes differ too, so no series relies on colour alone.
 */

export type MarkerShape = 'circle' | 'square' | 'triangle' | 'diamond';

export interface SeriesStyle {
  colour: string;
  /** `stroke-dasharray`, or '' for a solid line. */
  dash: string;
  marker: MarkerShape;
}

const TECHNIQUES: Record<string, SeriesStyle> = {
  'short-polling': { colour: '#D55E00', dash: '7 4', marker: 'square' },
  'long-polling': { colour: '#E69F00', dash: '2 3', marker: 'triangle' },
  sse: { colour: '#009E73', dash: '10 3 2 3', marker: 'diamond' },
  websocket: { colour: '#0072B2', dash: '', marker: 'circle' },
};

/** For a technique added later: the rest of the palette, picked by name so it is stable across charts. */
const SPARE: readonly SeriesStyle[] = [
  { colour: '#CC79A7', dash: '4 2', marker: 'circle' },
  { colour: '#56B4E9', dash: '1 2', marker: 'square' },
  { colour: '#000000', dash: '6 2 1 2', marker: 'triangle' },
];

export function seriesStyle(name: string): SeriesStyle {
  const known = TECHNIQUES[name];
  if (known !== undefined) return known;
  let hash = 0;
  for (const character of name) hash = (hash * 31 + character.charCodeAt(0)) >>> 0;
  return SPARE[hash % SPARE.length]!;
}
