import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ARTIFACTS, chromiumRunnable, launchChromium } from '../helpers/chromium.js';
import { serialize, serializeSweep } from '../../src/report/exporters/html.js';
import type { RunResult } from '../../src/document/result.js';
import type { SweepResult } from '../../src/document/sweep.js';

function load(name: string): unknown {
  return JSON.parse(readFileSync(new URL(`../fixtures/${name}.json`, import.meta.url), 'utf8'));
}

const FIXTURES = [
  { name: 'result-notify', charts: 5, render: () => serialize(load('result-notify') as RunResult) },
  { name: 'result-repeat3', charts: 5, render: () => serialize(load('result-repeat3') as RunResult) },
  { name: 'sweep-clients', charts: 4, render: () => serializeSweep(load('sweep-clients') as SweepResult) },
];

describe.skipIf(!chromiumRunnable)('html report in headless Chromium', () => {
  it.each(FIXTURES)('renders $name offline, every chart drawn', async ({ name, charts, render }) => {
    mkdirSync(ARTIFACTS, { recursive: true });
    const file = new URL(`report-${name}.html`, ARTIFACTS);
    writeFileSync(file, render());

    const browser = await launchChromium();
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const problems: string[] = [];
    const requests: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error' || message.type() === 'warning') problems.push(`console: ${message.text()}`);
    });
    page.on('pageerror', (error) => problems.push(`page: ${error.message}`));
    page.on('request', (request) => requests.push(request.url()));

    await page.goto(file.href, { waitUntil: 'load' });
    // The page itself is the only thing loaded: no font, image, stylesheet or script.
    expect(requests).toEqual([pathToFileURL(file.pathname).href]);

    const sizes = await page.locator('svg.chart').evaluateAll((svgs) =>
      svgs.map((svg) => {
        const box = svg.getBoundingClientRect();
        return { width: box.width, height: box.height, title: svg.querySelector(':scope > title')?.textContent ?? '' };
      }),
    );
    expect(sizes).toHaveLength(charts);
    for (const size of sizes) {
      expect(size.title).not.toBe('');
      expect(size.width).toBeGreaterThan(300);
      expect(size.height).toBeGreaterThan(100);
    }
    // Nothing wider than the window: the layout holds at a laptop's width.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(1280);

    await page.screenshot({ path: new URL(`report-${name}.png`, ARTIFACTS).pathname, fullPage: true });
    expect(problems).toEqual([]);
  });
});
