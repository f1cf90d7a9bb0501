// The page.evaluate callbacks run in the browser: their globals need the DOM types.
/// <reference lib="dom" />
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { createStack, pollUntil, request, TEST_SECRETS, type Stack } from '@seedline/testkit';
import { launchChromium } from './dashboard-browser.mjs';
import { watchPageProblems } from './support/page-problems.js';

const HTML =
  '<div id="box" style="color: rgb(200, 0, 0)">Hi @{{handle}} of {{brandName}}: <a href="{{link}}">buy</a> ' +
  '<a href="{{unsubscribeLink}}">stop</a></div><script>parent.postMessage({ type: "pwned" }, "*"); document.title = "pwned";</script>';

/** The dashboard's reminder preview in Chromium: the email's own styles apply in its sandboxed frame, its scripts never run. */
describe('reminder email preview in the dashboard', () => {
  let stack: Stack;
  let browser: Browser;
  let page: Page;
  let key = '';
  const problems: string[] = [];

  beforeAll(async () => {
    stack = await createStack('remprev', {}, ['api']);
    const brand = await request(`${stack.apiUrl}/v1/brands`, {
      method: 'POST',
      token: TEST_SECRETS.ADMIN_TOKEN,
      json: { name: 'Acme <Labs>' },
    });
    key = brand.body.apiKey as string;
    const created = await request(`${stack.apiUrl}/v1/campaigns`, {
      method: 'POST',
      token: key,
      json: {
        name: 'Preview me',
        productUrl: 'https://example.com/p',
        reviewUrl: 'https://example.com/r',
        reminders: { templates: { purchase: { subject: 'Custom for {{handle}}', html: HTML } } },
      },
    });
    expect(created.status).toBe(201);
    browser = await launchChromium();
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'en-US' });
    // Any "Refused" fails: a CSP refusal, and a failed connection too, as the API stays up throughout.
    watchPageProblems([context], /Refused|Content.Security.Policy/i, problems);
    page = await context.newPage();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  it('shows the subject, sender and the HTML part with its own styles, and switches stages', async () => {
    await page.goto(`${stack.apiUrl}/dashboard`);
    await page.getByLabel('Brand API key').fill(key);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('tab', { name: 'Campaign details' }).click();
    const meta = page.locator('#email-meta');
    await pollUntil(async () => (await meta.innerText()).includes('Custom for sample.creator'), {
      what: 'the preview subject',
    });

    const frame = page.frameLocator('.email-frame');
    const box = frame.locator('#box');
    await box.waitFor();
    expect(await box.innerText()).toBe('Hi @sample.creator of Acme <Labs>: buy stop');
    expect(await box.evaluate((el) => getComputedStyle(el).color)).toBe('rgb(200, 0, 0)');
    // The email's script did not run, in the frame or anywhere else.
    expect(await frame.locator('body').evaluate(() => document.title)).not.toBe('pwned');
    expect(await page.title()).not.toBe('pwned');

    await page.getByRole('button', { name: 'Review reminder' }).click();
    await pollUntil(async () => (await meta.innerText()).includes('Leave a review for Preview me'), {
      what: 'the review subject',
    });
    await frame.getByText('Leave your review').waitFor();
    expect(await page.getByRole('button', { name: 'Review reminder' }).getAttribute('aria-pressed')).toBe('true');
    await page.getByText('Headers').click();
    expect(await page.locator('#email-headers').innerText()).toContain('List-Unsubscribe=One-Click');
    expect(problems).toEqual([]);
  });
});
