// The page.evaluate callbacks run in the browser: their globals need the DOM types.
/// <reference lib="dom" />
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { createStack, pollUntil, seedCampaign, type Stack } from '@seedline/testkit';
import { launchChromium } from './dashboard-browser.mjs';
import { watchPageProblems } from './support/page-problems.js';

/**
 * The influencer's submission page in Chromium at phone width, as an influencer uses it: the post first, the
 * proof of purchase later through the same link, a malformed order number named on its own field.
 */
describe('submission page with proof of purchase', () => {
  let stack: Stack;
  let browser: Browser;
  let page: Page;
  let c: Awaited<ReturnType<typeof seedCampaign>>;
  let influencerId = '';
  let submitLink = '';
  const problems: string[] = [];

  beforeAll(async () => {
    stack = await createStack('submitform', {}, ['api', 'ingest', 'worker']);
    c = await seedCampaign(stack, {
      requirements: { hashtags: ['ad'] },
      reimbursement: { price: '20.00', shipping: '4.99', currency: 'USD', approval: 'review' },
    });
    const signup = await c.signup('page.user');
    influencerId = signup.influencerId;
    submitLink = signup.links.submit.replace(/^https?:\/\/[^/]+/, stack.ingestUrl);
    browser = await launchChromium();
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'en-US' });
    watchPageProblems([context], /Refused|Content.Security.Policy/i, problems);
    page = await context.newPage();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  const verdict = () => page.locator('#verdict').innerText();

  it('takes the post alone and says the proof is still to send', async () => {
    await page.goto(submitLink);
    await page.fill('#postUrl', 'https://www.instagram.com/p/CPageUser1/');
    await page.fill('#caption', 'Love it #ad');
    await page.click('button[type=submit]');
    await pollUntil(async () => (await verdict()).includes('Thank you'), { what: 'the verdict' });
    expect(await verdict()).toContain(
      'Still to send through this link: your order number, the amount you paid, your PayPal email',
    );
  });

  it('names a malformed order number on its own field, then takes the corrected proof', async () => {
    await page.goto(submitLink);
    await page.fill('#orderId', '114-39416-8772232');
    await page.fill('#amountPaid', '23.50');
    await page.fill('#payoutEmail', 'page.user@example.com');
    await page.click('button[type=submit]');
    await pollUntil(async () => (await page.locator('#orderId-error').isVisible()) || undefined, {
      what: 'the order number error',
    });
    expect(await page.locator('#orderId').getAttribute('aria-invalid')).toBe('true');
    expect(await page.locator('#amountPaid').getAttribute('aria-invalid')).not.toBe('true');

    await page.fill('#orderId', '114-3941689-8772232');
    await page.click('button[type=submit]');
    await pollUntil(async () => (await verdict()).includes('Your proof of purchase is in'), { what: 'proof accepted' });
    expect(await page.locator('#orderId-error').isVisible()).toBe(false);
  });

  it('leaves the brand a reimbursement to review for what was paid', async () => {
    const detail = await pollUntil(
      async () => {
        const d = await c.influencer(influencerId);
        return d.body.reimbursement?.state === 'pending_review' ? d.body : undefined;
      },
      { what: 'the reimbursement to review' },
    );
    expect(detail.reimbursement).toMatchObject({ state: 'pending_review', amount: '23.50', currency: 'USD' });
    expect(problems).toEqual([]);
  });
});
