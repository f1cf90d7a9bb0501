import { expect } from 'vitest';
import type { Browser, BrowserContext, Page, Response } from 'playwright-core';
import { Redis } from 'ioredis';
import { liveStreamKey } from '@seedline/runtime';
import {
  amazonApiReport,
  BROWSER_UA,
  pollUntil,
  REDIS_URL,
  request,
  seedCampaign,
  type Stack,
} from '@seedline/testkit';
import { launchChromium } from '../dashboard-browser.mjs';
import { watchPageProblems } from './page-problems.js';

export type SeededCampaign = Awaited<ReturnType<typeof seedCampaign>>;
export type SignedUp = { influencerId: string; links: { purchase: string; review: string; submit: string } };

/**
 * The dashboard test's brand: a campaign `Spring launch` with `handles` signed up (their links by handle) and
 * an empty `Autumn (no sign-ups yet)` beside it.
 */
export async function seedDashboardBrand(stack: Stack, handles: string[], productUrl: string) {
  const seeded = await seedCampaign(stack, {
    name: 'Spring launch',
    productUrl,
    requirements: { hashtags: ['ad'], mentions: ['acme'] },
  });
  const empty = await request(`${stack.apiUrl}/v1/campaigns`, {
    method: 'POST',
    token: seeded.apiKey,
    json: { name: 'Autumn (no sign-ups yet)', productUrl, reviewUrl: 'https://example.com/review' },
  });
  expect(empty.status).toBe(201);
  const links = new Map<string, SignedUp>();
  for (const handle of handles) links.set(handle, await seeded.signup(handle));
  await pollUntil(async () => (await seeded.summary()).body.total === handles.length, {
    what: 'sign-ups applied',
    timeoutMs: 30_000,
  });
  return { seeded, links };
}

/** The brand's desktop browser, and the influencer's phone: another person on another browser. */
export async function openDashboardContexts(
  browser: Browser,
): Promise<{ brand: BrowserContext; influencer: BrowserContext }> {
  const brand = await browser.newContext({
    viewport: { width: 1280, height: 800 },
    locale: 'en-US',
    timezoneId: 'UTC',
    acceptDownloads: true,
  });
  // A headless user agent would count as a bot.
  const influencer = await browser.newContext({
    userAgent: BROWSER_UA,
    viewport: { width: 390, height: 844 },
    locale: 'en-US',
  });
  return { brand, influencer };
}

/**
 * Amazon's figures for two influencers of the campaign: carol's own tag (creative 9001) with 3 purchases, and
 * dave's (9002) with 4 clicks, which Amazon hides (under 10).
 */
export async function uploadAmazonFigures(stack: Stack, seeded: SeededCampaign): Promise<void> {
  const tag = (creativeId: string) =>
    `https://www.amazon.com/dp/B0DEMO0001?aa_campaignid=16719043411&aa_adgroupid=135021988277&aa_creativeid=${creativeId}`;
  const post = (path: string, json: unknown) =>
    request(`${stack.apiUrl}/v1/campaigns/${seeded.campaignId}/${path}`, {
      method: 'POST',
      token: seeded.apiKey,
      json,
    });
  const tags = [
    { instagramHandle: 'carol', url: tag('9001') },
    { instagramHandle: 'dave', url: tag('9002') },
  ];
  expect((await post('attribution-tags', { tags })).status).toBe(200);
  const report = amazonApiReport([
    { date: '2025-03-01', creativeId: '9001', clicks: 30, dpv: 20, atc: 4, purchases: 3, units: 3, sales: 149.95 },
    { date: '2025-03-01', creativeId: '9002', clicks: 4, dpv: 0, atc: 0, purchases: 0, units: 0, sales: 0 },
  ]);
  expect((await post('attribution', report)).status).toBe(200);
}

/**
 * Waits until the newest entry of the campaign's live stream names the influencer: read from Redis itself, so
 * it works while the API is down.
 */
export async function waitForLiveEntry(stack: Stack, campaignId: string, influencerId: string, what: string) {
  const redis = new Redis(REDIS_URL);
  try {
    const key = liveStreamKey(stack.prefix, campaignId);
    await pollUntil(
      async () => ((await redis.xrevrange(key, '+', '-', 'COUNT', 1))[0]?.[1]?.[1] ?? '').includes(influencerId),
      { what },
    );
  } finally {
    redis.disconnect();
  }
}

/** Opens a tracked link in a new page of `context` and gives its response (the redirect), the page closed. */
export async function openTrackedLink(context: BrowserContext, link: string): Promise<Response> {
  const page = await context.newPage();
  // The machine is offline, so the shop itself does not load; the tracked link's 302 is what counts.
  const [redirect] = await Promise.all([
    page.waitForResponse((r) => r.url() === link),
    page.goto(link).catch(() => null),
  ]);
  await page.close();
  return redirect;
}

/**
 * A page of the brand's desktop context, watched for problems: with the API up throughout, any "Refused" (a
 * CSP refusal, a failed connection) or script error lands in `problems`.
 */
export async function watchedBrandPage(browser: Browser, problems: string[]): Promise<Page> {
  const { brand } = await openDashboardContexts(browser);
  watchPageProblems([brand], /Refused|Content.Security.Policy/i, problems);
  return brand.newPage();
}

/** Chromium and one watched brand page in it (see `watchedBrandPage`): the browser tests' usual start. */
export async function launchBrandPage(problems: string[]): Promise<{ browser: Browser; page: Page }> {
  const browser = await launchChromium();
  return { browser, page: await watchedBrandPage(browser, problems) };
}

/** Opens the dashboard and signs in with `apiKey`. */
export async function signIn(page: Page, apiUrl: string, apiKey: string): Promise<void> {
  await page.goto(`${apiUrl}/dashboard`);
  await page.getByLabel('Brand API key').fill(apiKey);
  await page.getByRole('button', { name: 'Sign in' }).click();
}
