import { mkdirSync } from 'node:fs';
import { connect } from 'node:net';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { ARTIFACTS, chromiumRunnable, launchChromium } from '../helpers/chromium.js';
import { TRANSPORT_NAMES } from '../../src/transports/registry.js';
import { spawnServe } from '../helpers/cli.js';

const PUBLISHED_OVER_HTTP = ['one', 'two', 'three'];

/** Each line's text before its delay, and the delay shown, newest first. */
function panelMessages(page: Page, transport: string): Promise<string[]> {
  return page.locator(`#panel-${transport} .messages li`).evaluateAll((items) =>
    items.map((item) => {
      const delay = item.querySelector('.delay');
      return delay === null ? (item.textContent ?? '') : (item.firstChild?.textContent ?? '');
    }),
  );
}

async function meanDelayMs(page: Page, transport: string): Promise<number> {
  const mean = await page.locator(`#panel-${transport} [data-field="delay"]`).getAttribute('data-mean-ms');
  return Number(mean);
}

/** The status line and headers of `GET path` as the server sends them, read off a raw socket. */
function rawHeadBytes(port: number, path: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let received = Buffer.alloc(0);
    socket.on('data', (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      const end = received.indexOf('\r\n\r\n');
      if (end === -1) return;
      socket.destroy();
      resolve(end + 4);
    });
    socket.on('error', reject);
    socket.write(`GET ${path} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n\r\n`);
  });
}

describe.skipIf(!chromiumRunnable)('demo page in headless Chromium', () => {
  it('shows each published message arrive in every panel, with its delay and the bytes it cost', async () => {
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

    for (const [index, data] of PUBLISHED_OVER_HTTP.entries()) {
      await page.fill('#publish-data', data);
      await page.click('#publish-http');
      for (const transport of TRANSPORT_NAMES) {
        await expect
          .poll(async () => (await panelMessages(page, transport))[0], { timeout: 5_000 })
          .toBe(`#${index + 1} ${data}  (from page)`);
      }
    }

    await page.fill('#publish-data', 'echo over the socket');
    await page.click('#publish-ws');
    for (const transport of TRANSPORT_NAMES) {
      await expect
        .poll(async () => (await panelMessages(page, transport))[0], { timeout: 5_000 })
        .toBe('#4 echo over the socket  (from page over WebSocket)');
    }

    const count = (transport: string, field: string): Promise<string | null> =>
      page.textContent(`#panel-${transport} [data-field="${field}"]`);
    for (const transport of TRANSPORT_NAMES) {
      expect(await count(transport, 'messages')).toBe('4');
      expect(await page.locator(`#panel-${transport} .messages .delay`).count()).toBe(4);
      expect(await count(transport, 'bytes-note')).toMatch(/^Bytes in: .+\.$/);
    }
    // A long poll is re-issued once per answer: the first one plus one per message.
    expect(await count('long-polling', 'requests')).toBe('5');
    expect(Number(await count('short-polling', 'empty'))).toBeGreaterThan(0);
    expect(await count('sse', 'requests')).toBe('1');
    expect(await count('websocket', 'requests')).toBe('1');

    // Short polling waits for its next poll (every second); the WebSocket's frame is on its way at once.
    const shortPolling = await meanDelayMs(page, 'short-polling');
    const webSocket = await meanDelayMs(page, 'websocket');
    expect(shortPolling).toBeGreaterThan(webSocket);
    expect(webSocket).toBeGreaterThan(0);

    // What the page counts for an answer's head is what the server sent: rebuilt from fetch's headers, byte for byte.
    // A string, so that the test runner does not rewrite the page's import().
    const pageCounted = await page.evaluate(
      `import('/demo/shared.js').then(async ({ headBytes }) => headBytes(await fetch('/poll?since=4', { cache: 'no-store' })))`,
    );
    expect(pageCounted).toBe(await rawHeadBytes(serve.port, '/poll?since=4'));

    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: new URL('demo-page.png', ARTIFACTS).pathname, fullPage: true });
    expect(problems).toEqual([]);
  });
});
