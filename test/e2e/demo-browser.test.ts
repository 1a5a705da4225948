import { mkdirSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { ARTIFACTS, chromiumRunnable, launchChromium } from '../helpers/chromium.js';
import { TRANSPORT_NAMES } from '../../src/transports/registry.js';
import { spawnServe } from '../helpers/cli.js';

function panelMessages(page: Page, transport: string): Promise<string[]> {
  return page.locator(`#panel-${transport} .messages li`).allTextContents();
}

describe.skipIf(!chromiumRunnable)('demo page in headless Chromium', () => {
  it('shows a published message arrive in all four panels, over HTTP and over the WebSocket', async () => {
    const serve = await spawnServe();
    const browser = await launchChromium();
    const page = await browser.newPage();
    const problems: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(`console: ${message.text()}`);
    });
    page.on('pageerror', (error) => problems.push(`page: ${error.message}`));
    page.on('requestfailed', (request) => {
      // A held long poll is cancelled when the page closes; anything else failing is a defect.
      if (!request.url().includes('/long-poll')) problems.push(`request failed: ${request.url()}`);
    });

    await page.goto(serve.url);
    for (const transport of TRANSPORT_NAMES) {
      await page.locator(`#panel-${transport} .status.live`).waitFor({ timeout: 10_000 });
    }

    await page.fill('#publish-data', 'hello from chromium');
    await page.click('#publish-http');
    await expect.poll(() => page.textContent('#publish-status')).toBe('published as #1');
    for (const transport of TRANSPORT_NAMES) {
      await expect
        .poll(() => panelMessages(page, transport), { timeout: 5_000 })
        .toEqual(['#1 hello from chromium  (from page)']);
    }

    await page.fill('#publish-data', 'echo over the socket');
    await page.click('#publish-ws');
    for (const transport of TRANSPORT_NAMES) {
      await expect
        .poll(async () => (await panelMessages(page, transport))[0], { timeout: 5_000 })
        .toBe('#2 echo over the socket  (from page over WebSocket)');
    }

    const count = (transport: string, field: string): Promise<string | null> =>
      page.textContent(`#panel-${transport} [data-field="${field}"]`);
    for (const transport of TRANSPORT_NAMES) expect(await count(transport, 'messages')).toBe('2');
    // A long poll is re-issued once per answer: the first one plus one per message.
    expect(await count('long-polling', 'requests')).toBe('3');
    expect(Number(await count('short-polling', 'empty'))).toBeGreaterThan(0);
    expect(await count('sse', 'requests')).toBe('1');
    expect(await count('websocket', 'requests')).toBe('1');

    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: new URL('demo-page.png', ARTIFACTS).pathname, fullPage: true });
    expect(problems).toEqual([]);
  });
});
