// The page.evaluate callbacks run in the browser: their globals need the DOM types.
/// <reference lib="dom" />
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { BROWSER_UA, createStack, pollUntil, request, seedCampaign, TEST_SECRETS, type Stack } from '@seedline/testkit';
import { signIn, launchBrandPage } from './support/dashboard-setup.js';
import { waitForText } from './support/page-text.js';

/**
 * An influencer whose link a tracker reported 501 clicks for: the dashboard's timeline still starts with the
 * sign-up and shows the status change, lists the latest 500 clicks, and says that one older click is not listed.
 */
describe('dashboard timeline of a much-clicked influencer in Chromium', () => {
  let stack: Stack;
  let browser: Browser;
  let page: Page;
  let apiKey = '';
  const problems: string[] = [];

  beforeAll(async () => {
    stack = await createStack('dashtimeline');
    const c = await seedCampaign(stack, { name: 'Busy links' });
    apiKey = c.apiKey;
    const { influencerId, links } = await c.signup('busy.one');
    const token = links.purchase.split('/l/')[1] as string;
    const events = Array.from({ length: 501 }, (_, i) => ({ eventId: `t${i}`, token, userAgent: BROWSER_UA }));
    const fed = await request(`${stack.ingestUrl}/v1/clicks`, {
      method: 'POST',
      token: TEST_SECRETS.INGEST_TOKEN,
      json: { events },
    });
    expect(fed.status).toBe(202);
    await pollUntil(async () => (await c.influencer(influencerId)).body.purchaseClicks === 501 || undefined, {
      what: '501 clicks applied',
      timeoutMs: 60_000,
    });
    ({ browser, page } = await launchBrandPage(problems));
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  it('lists the facts and the latest 500 clicks, and says the older one is not listed', async () => {
    await signIn(page, stack.apiUrl, apiKey);
    await page.getByLabel('Campaign', { exact: true }).selectOption({ label: 'Busy links' });
    await page.getByRole('button', { name: 'Timeline of @busy.one' }).click();
    await waitForText(page.locator('#timeline-omitted'), /^1 older click is not listed/, 'omitted clicks note');
    const types = await page
      .locator('#timeline-events li')
      .evaluateAll((lis) => lis.map((li) => li.getAttribute('data-type')));
    // Newest first: the sign-up is last, the status change is there, and 500 clicks between.
    expect(types.at(-1)).toBe('signup');
    expect(types).toContain('status_change');
    expect(types.filter((t) => t === 'purchase_click')).toHaveLength(500);
    expect(problems).toEqual([]);
  });
});
