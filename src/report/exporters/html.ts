/*
 * One self-contained page per run or sweep: inline CSS and SVG, no script, no URL to fetch
 * (html/page.ts has what both pages share; every text from the document passes through `esc`).
 */
export { serialize } from './html/run-page.js';
export { serializeSweep } from './html/sweep-page.js';
