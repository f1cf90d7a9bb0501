// The page.evaluate callbacks run in the browser: their globals need the DOM types.
/// <reference lib="dom" />
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { BROWSER_UA, createStack, pollUntil, type Stack } from '@seedline/testkit';
import { launchChromium } from './dashboard-browser.mjs';
import {
  openDashboardContexts,
  openTrackedLink,
  seedDashboardBrand,
  uploadAmazonFigures,
  waitForLiveEntry,
  type SeededCampaign,
  type SignedUp,
} from './support/dashboard-setup.js';
import { watchPageProblems } from './support/page-problems.js';
import { text, waitForText } from './support/page-text.js';

/**
 * The reference dashboard and the submission form in a real browser (Debian's Chromium) against the real
 * stack: the brand signs in, influencers click and post in another browser context, and the dashboard follows
 * over the live stream without a reload.
 */
const HANDLES = ['alice', 'bob', 'carol', 'dave', 'erin', 'frank', 'grace', 'heidi', 'ivan', 'judy', 'mallory', 'niaj'];
const PRODUCT_URL = 'https://example.com/product';

describe('brand dashboard and submission form in Chromium', () => {
  let stack: Stack;
  let browser: Browser;
  let brandContext: BrowserContext;
  let influencer: BrowserContext;
  let page: Page;
  let seeded: SeededCampaign;
  let links: Map<string, SignedUp>;
  const pageProblems: string[] = [];

  const stage = (status: string) => page.locator(`#stages li[data-status="${status}"]`);
  const row = (handle: string) => page.locator(`#influencer-rows tr[data-handle="${handle}"]`);
  const waitForAllRows = (what: string) =>
    pollUntil(async () => (await page.locator('#influencer-rows tr').count()) === HANDLES.length, { what });

  beforeAll(async () => {
    stack = await createStack('dashboard');
    ({ seeded, links } = await seedDashboardBrand(stack, HANDLES, PRODUCT_URL));

    browser = await launchChromium();
    ({ brand: brandContext, influencer } = await openDashboardContexts(browser));
    // Script errors and CSP refusals on any page (dashboard or form) fail the last test. "Refused to" is CSP's
    // wording: the last test takes the API down, and the browser's net::ERR_CONNECTION_REFUSED is expected there.
    watchPageProblems([brandContext, influencer], /Content.Security.Policy|Refused to/i, pageProblems);
    page = await brandContext.newPage();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  it('refuses a bad key with a clear message, then signs in and shows the count per stage', async () => {
    const res = await page.goto(`${stack.apiUrl}/dashboard`);
    expect(res?.status()).toBe(200);
    expect(res?.headers()['content-security-policy']).toMatch(/script-src 'self'/);

    await page.getByLabel('Brand API key').fill('sk_not_a_real_key_0123456789');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await waitForText(page.locator('#signin-error'), /not accepted/, 'bad-key message');
    expect(await page.getByLabel('Brand API key').getAttribute('aria-invalid')).toBe('true');

    await page.getByLabel('Brand API key').fill(seeded.apiKey);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByLabel('Campaign', { exact: true }).selectOption({ label: 'Spring launch' });
    await waitForText(page.locator('#campaign-name'), 'Spring launch', 'campaign heading');
    await waitForText(stage('signed_up'), /^Signed Up 12 100% of 12$/, 'Signed Up card');
    for (const s of ['purchased', 'done', 'followed_up'])
      expect(await text(stage(s).locator('.stage__count'))).toBe('0');
    await waitForAllRows('all rows');
    expect(await row('bob').locator('a.handle').getAttribute('href')).toBe('https://www.instagram.com/bob/');
    await waitForText(page.locator('#live'), 'Live', 'live indicator');
    // The key stays in this tab's sessionStorage only.
    const stored = await page.evaluate(() => [sessionStorage.length, localStorage.length, document.cookie]);
    expect(stored).toEqual([1, 0, '']);
  });

  it('follows a purchase click from another browser live: the row and the counts change without a reload', async () => {
    let navigations = 0;
    page.on('framenavigated', (frame) => {
      if (frame === page.mainFrame()) navigations++;
    });
    await page.evaluate(() => ((window as unknown as { notReloaded: boolean }).notReloaded = true));

    const bob = links.get('bob')!;
    const redirect = await openTrackedLink(influencer, bob.links.purchase);
    expect(redirect.status()).toBe(302);
    expect(redirect.headers().location).toBe(PRODUCT_URL);

    await waitForText(row('bob').locator('.badge'), 'Purchased', "bob's status badge");
    expect(await row('bob').locator('td[data-stage="purchased"] time').count()).toBe(1);
    await waitForText(stage('purchased').locator('.stage__count'), '1', 'Purchased count');
    await waitForText(stage('purchased').locator('.stage__share'), '8% of 12', 'Purchased share');
    await waitForText(stage('signed_up').locator('.stage__count'), '11', 'Signed Up count');
    await waitForText(page.locator('#estimated-purchases'), '1', 'estimated purchases');
    await waitForText(row('bob').locator('td[data-label="Clicks"]'), /^1 purchase 0 review$/, "bob's clicks");
    await waitForText(page.locator('#announcer'), /@bob is now Purchased/, 'screen-reader announcement');
    expect(navigations).toBe(0);
    expect(await page.evaluate(() => (window as unknown as { notReloaded?: boolean }).notReloaded)).toBe(true);
  });

  it('submission form: states the requirements, gives a verdict, and the dashboard row becomes Done', async () => {
    const form = await influencer.newPage();
    const res = await form.goto(links.get('bob')!.links.submit);
    expect(res?.status()).toBe(200);
    // The form's own script runs under a CSP that pins it by hash (no 'unsafe-inline').
    expect(res?.headers()['content-security-policy']).toMatch(/script-src 'sha256-[^']+'/);
    expect(await text(form.locator('#requirements-intro'))).toBe('Your caption must include:');
    expect(
      await form.locator('#requirements li').evaluateAll((lis) => lis.map((li) => li.getAttribute('data-tag'))),
    ).toEqual(['#ad', '@acme']);

    const url = form.getByLabel('Link to your Instagram post or reel');
    const caption = form.getByLabel('Caption of the post');
    const submit = form.getByRole('button', { name: 'Submit' });

    await url.fill('https://example.com/not-instagram');
    await submit.click();
    await waitForText(form.locator('#postUrl-error'), /not a link to an Instagram post/, 'URL error');
    expect(await url.getAttribute('aria-invalid')).toBe('true');

    await url.fill('https://www.instagram.com/p/Cbob123/');
    await caption.fill('Loving it #Ad');
    expect(
      await form.locator('#requirements li.ok').evaluateAll((lis) => lis.map((li) => li.getAttribute('data-tag'))),
    ).toEqual(['#ad']);
    await submit.click();
    await waitForText(form.locator('#verdict'), /will not count yet.*missing @acme/, 'rejection verdict');
    expect(await form.locator('#verdict').getAttribute('class')).toBe('warn');

    await caption.fill('Loving it #Ad with @acme!');
    expect(await form.locator('#requirements li.ok').count()).toBe(2);
    await submit.click();
    await waitForText(form.locator('#verdict'), /^Thank you! We have it\./, 'accepted verdict');
    expect(await form.locator('#verdict').getAttribute('class')).toBe('ok');
    await form.close();

    await waitForText(row('bob').locator('.badge'), 'Done', 'bob is Done');
    await waitForText(stage('done').locator('.stage__count'), '1', 'Done count');
    await waitForText(stage('purchased').locator('.stage__count'), '0', 'Purchased count back to 0');

    // The timeline opens from the keyboard, shows both verdicts, and gives focus back when closed.
    const button = row('bob').getByRole('button', { name: 'Timeline of @bob' });
    await button.focus();
    await page.keyboard.press('Enter');
    await waitForText(page.locator('#timeline-status'), 'Done', 'timeline status');
    await waitForText(page.locator('#timeline-submission'), /Post accepted/, 'timeline submission');
    const types = await page
      .locator('#timeline-events li')
      .evaluateAll((lis) => lis.map((li) => li.getAttribute('data-type')));
    expect(types).toEqual(
      expect.arrayContaining([
        'signup',
        'purchase_click',
        'submission_rejected',
        'submission_accepted',
        'status_change',
      ]),
    );
    await page.keyboard.press('Escape');
    await pollUntil(() => page.evaluate(() => !(document.getElementById('timeline') as HTMLDialogElement).open), {
      what: 'dialog closed',
    });
    expect(await page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe('Timeline of @bob');
  });

  it('filters by status, searches by handle and pages through the list', async () => {
    const shown = () =>
      page
        .locator('#influencer-rows tr')
        .evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-handle')).join(','));
    const waitForRows = (expected: string[], what: string) =>
      pollUntil(async () => (await shown()) === expected.join(',') || undefined, { what });
    const all = [...HANDLES].sort();

    await page.getByLabel('Status').selectOption('done');
    await waitForRows(['bob'], 'the one Done row');
    // No Instagram account connected: bob's post counts on its caption, and the row says so.
    expect(await text(row('bob').locator('[data-verification]'))).toBe('Caption only (not checked)');
    await page.getByLabel('Status').selectOption('');
    await waitForRows(all, 'all rows');

    await page.getByLabel('Search by handle').fill('@Ca');
    await waitForRows(['carol'], 'search by handle prefix');
    await page.getByLabel('Search by handle').fill('zz');
    await waitForText(page.locator('#empty'), /No influencers match/, 'no-match state');
    await page.getByRole('button', { name: 'Clear filters' }).click();
    await waitForRows(all, 'all rows after clearing');

    await page.getByLabel('Rows per page').selectOption('10');
    await waitForRows(all.slice(0, 10), 'first page of 10');
    await page.getByRole('button', { name: 'Next' }).click();
    await waitForRows(all.slice(10), 'second page');
    expect(await text(page.locator('#page-label'))).toBe('Page 2');
    expect(await page.getByRole('button', { name: 'Next' }).isDisabled()).toBe(true);
    await page.getByRole('button', { name: 'Previous' }).click();
    await waitForRows(all.slice(0, 10), 'back to the first page');
    await page.getByLabel('Rows per page').selectOption('25');
    await waitForRows(all, 'all rows again');
  });

  it('exports the CSV through the API with the key, as a download', async () => {
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Export CSV' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe(`campaign-${seeded.campaignId}-influencers.csv`);
    const csv = readFileSync(await download.path(), 'utf8')
      .trim()
      .split('\n');
    expect(csv[0]).toMatch(
      /^id,instagramHandle,status,statusLabel,signedUpAt,purchasedAt,doneAt,followedUpAt,purchaseClicks,reviewClicks,remindersSent,/,
    );
    expect(csv[0]).toMatch(
      /,verification,attributionClickThroughs,attributionPurchases,attributionUnitsSold,attributionSales,attributionMasked,reimbursementState,reimbursementAmount,reimbursementCurrency,reimbursementReason$/,
    );
    expect(csv).toHaveLength(HANDLES.length + 1);
    const bob = csv.find((line) => line.split(',')[1] === 'bob')?.split(',');
    expect(bob?.[0]).toBe(links.get('bob')!.influencerId);
    expect(bob?.slice(2, 4)).toEqual(['done', 'Done']);
    expect(bob?.[8]).toBe('1');
  });

  it("shows Amazon's figures per influencer, and Amazon's hidden ones as hidden, not as zero purchases", async () => {
    await uploadAmazonFigures(stack, seeded);
    // A search reloads the list with the new figures.
    await page.getByLabel('Search by handle').fill('carol');
    await waitForText(
      row('carol').locator('td[data-label="Amazon"]'),
      '3 purchases 149.95 sales',
      "carol's Amazon figures",
    );
    await page.getByLabel('Search by handle').fill('dave');
    await waitForText(
      row('dave').locator('td[data-label="Amazon"]'),
      'hidden by Amazon (under 10 clicks)',
      "dave's hidden figures",
    );
    await page.getByLabel('Search by handle').fill('');
    await waitForAllRows('all rows again');
    expect(await text(row('bob').locator('td[data-label="Amazon"]'))).toMatch(/no Amazon figures$/);
  });

  it('shows an empty state for a campaign without influencers', async () => {
    await page.getByLabel('Campaign', { exact: true }).selectOption({ label: 'Autumn (no sign-ups yet)' });
    await waitForText(page.locator('#empty'), /No influencers yet/, 'empty state');
    expect(await text(stage('signed_up'))).toBe('Signed Up 0 0% of 0');
    expect(await page.locator('#influencers').isVisible()).toBe(false);
    await page.getByLabel('Campaign', { exact: true }).selectOption({ label: 'Spring launch' });
    await waitForAllRows('rows back');
  });

  it('fits a phone-sized screen without sideways scrolling', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    expect(await page.locator('#influencers thead').isVisible()).toBe(false);
    expect(await row('bob').locator('.badge').isVisible()).toBe(true);
    await page.setViewportSize({ width: 1280, height: 800 });
  });

  it('says when the API is down, shows "reconnecting", and goes live again when it is back', async () => {
    const spare = await brandContext.newPage();
    await spare.goto(`${stack.apiUrl}/dashboard`);
    await stack.apps.api!.stop();

    await waitForText(page.locator('#live'), 'Reconnecting…', 'reconnecting indicator');
    await waitForText(page.locator('#banner'), /Cannot reach the Seedline API/, 'API-down banner');
    // Signing in while the API is down says so, rather than blaming the key.
    await spare.getByLabel('Brand API key').fill(seeded.apiKey);
    await spare.getByRole('button', { name: 'Sign in' }).click();
    await waitForText(spare.locator('#signin-error'), /Cannot reach the Seedline API/, 'sign-in while down');
    await spare.close();

    // A click while the API is down still reaches ingest and the worker; the resumed stream (Last-Event-ID)
    // delivers its status change once the API is back.
    const carol = links.get('carol')!;
    const click = await fetch(carol.links.purchase, { redirect: 'manual', headers: { 'User-Agent': BROWSER_UA } });
    expect(click.status).toBe(302);
    await waitForLiveEntry(
      stack,
      seeded.campaignId,
      carol.influencerId,
      "carol's status change on the live stream while the API is down",
    );
    await stack.start('api');
    await waitForText(page.locator('#live'), 'Live', 'live again', 60_000);
    expect(await page.locator('#banner').isVisible()).toBe(false);
    await waitForText(row('carol').locator('.badge'), 'Purchased', "carol's status after the restart");
    await waitForText(stage('purchased').locator('.stage__count'), '1', 'Purchased count after the restart');
    await waitForText(page.locator('#announcer'), /@carol is now Purchased/, 'the replayed status event');
    expect(pageProblems).toEqual([]);
  }, 150_000);
});
