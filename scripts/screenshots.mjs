#!/usr/bin/env node
// Takes the dashboard screenshots in docs/screenshots/ from a seeded demo stack: real apps on their own
// database and queue prefix (@seedline/testkit), Debian's Chromium through playwright-core.
// Needs the services (npm run services) and a build (npm run build). Run: node scripts/screenshots.mjs
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import {
  amazonApiReport,
  BROWSER_UA,
  createStack,
  pollUntil,
  request,
  REPO_ROOT,
  seedCampaign,
  submitToken,
} from '@seedline/testkit';
import { launchChromium } from '../test/e2e/dashboard-browser.mjs';

const OUT = join(REPO_ROOT, 'docs', 'screenshots');
const HANDLES = [
  'ava.styles',
  'ben_bakes',
  'chloe.fit',
  'dev.daily',
  'emma.glow',
  'finn.outdoors',
  'gia.travels',
  'hugo.eats',
  'isla.reads',
  'jonah.lifts',
  'kai.codes',
  'lena.loves',
  'milo.makes',
  'nora.naturals',
];

async function seed(stack) {
  const c = await seedCampaign(stack, {
    name: 'Spring Glow Serum',
    productUrl: 'https://www.amazon.com/dp/B0DEMO0001',
    reviewUrl: 'https://www.amazon.com/review/create-review?asin=B0DEMO0001',
    requirements: { hashtags: ['ad', 'springglow'], mentions: ['glowco'] },
  });
  const people = [];
  for (const handle of HANDLES) people.push({ handle, ...(await c.signup(handle)) });
  await pollUntil(async () => (await c.summary()).body.total === HANDLES.length, {
    what: 'sign-ups',
    timeoutMs: 30_000,
  });
  const click = (url) => fetch(url, { redirect: 'manual', headers: { 'User-Agent': BROWSER_UA } });
  const submit = (p, caption) =>
    request(`${stack.ingestUrl}/v1/submissions`, {
      method: 'POST',
      json: {
        token: submitToken(p.links.submit),
        postUrl: `https://www.instagram.com/p/DEMO${p.handle.length}x${people.indexOf(p)}/`,
        caption,
      },
    });
  for (const p of people.slice(0, 9)) await click(p.links.purchase);
  for (const p of people.slice(0, 5))
    await submit(p, `Three weeks in and my skin is glowing ✨ #ad #SpringGlow @glowco`);
  await submit(people[5], 'Loving this serum! #springglow');
  for (const p of people.slice(0, 2)) await click(p.links.review);
  await pollUntil(
    async () => {
      const s = (await c.summary()).body;
      return s.stages.followed_up === 2 && s.stages.done === 3 && s.stages.purchased === 4 ? s : undefined;
    },
    { what: 'demo statuses', timeoutMs: 30_000 },
  );
  const days = Array.from({ length: 7 }, (_, i) =>
    new Date(Date.now() - (8 - i) * 86_400_000).toISOString().slice(0, 10),
  );
  const rows = days.map((date, i) => ({
    date,
    clicks: 20 + i * 3,
    detailPageViews: 14 + i * 2,
    addToCarts: 3 + (i % 3),
    purchases: i % 3 === 0 ? 2 : 1,
    unitsSold: i % 3 === 0 ? 3 : 1,
    sales: i % 3 === 0 ? 89.97 : 29.99,
  }));
  const up = await request(`${stack.apiUrl}/v1/campaigns/${c.campaignId}/attribution`, {
    method: 'POST',
    token: c.apiKey,
    json: { rows },
  });
  if (up.status !== 200) throw new Error(`attribution upload: ${up.status} ${JSON.stringify(up.body)}`);
  await tagAndReport(stack, c, days);
  return { c, people };
}

/**
 * Four influencers get Amazon Attribution tags of their own, and Amazon's creative-level report (the Ads API
 * answer, as Amazon sends it) credits them: purchases, a genuine zero, and one tag under 10 clicks that Amazon hides.
 */
async function tagAndReport(stack, c, days) {
  const creatives = { 'ava.styles': '9001', ben_bakes: '9002', 'chloe.fit': '9003', 'dev.daily': '9004' };
  const tagUrl = (creativeId) =>
    `https://www.amazon.com/dp/B0DEMO0001?maas=maas_adg_api_5823_static_9_129&ref_=aa_maas&tag=maas&aa_campaignid=16719043411&aa_adgroupid=135021988277&aa_creativeid=${creativeId}`;
  const tags = Object.entries(creatives).map(([instagramHandle, creativeId]) => ({
    instagramHandle,
    url: tagUrl(creativeId),
  }));
  const tagged = await request(`${stack.apiUrl}/v1/campaigns/${c.campaignId}/attribution-tags`, {
    method: 'POST',
    token: c.apiKey,
    json: { tags },
  });
  if (tagged.status !== 200) throw new Error(`tags: ${tagged.status} ${JSON.stringify(tagged.body)}`);
  const figures = {
    'ava.styles': [48, 4, 5, 149.95],
    ben_bakes: [6, 0, 0, 0],
    'chloe.fit': [23, 1, 1, 29.99],
    'dev.daily': [14, 0, 0, 0],
  };
  const report = amazonApiReport(
    Object.entries(figures).map(([handle, [clicks, purchases, units, sales]]) => ({
      date: days[days.length - 1],
      campaignId: '16719043411',
      adGroupId: '135021988277',
      creativeId: creatives[handle],
      publisher: 'Instagram',
      clicks,
      dpv: Math.round(clicks * 0.6),
      atc: purchases * 2,
      purchases,
      units,
      sales,
    })),
  );
  const up = await request(`${stack.apiUrl}/v1/campaigns/${c.campaignId}/attribution`, {
    method: 'POST',
    token: c.apiKey,
    json: report,
  });
  if (up.status !== 200) throw new Error(`creative report: ${up.status} ${JSON.stringify(up.body)}`);
}

async function shoot(browser, stack, demo, name, viewport, extra = async () => undefined) {
  const context = await browser.newContext({
    viewport,
    deviceScaleFactor: 1,
    locale: 'en-US',
    timezoneId: 'UTC',
    reducedMotion: 'reduce',
  });
  const page = await context.newPage();
  await page.goto(`${stack.apiUrl}/dashboard`);
  await page.getByLabel('Brand API key').fill(demo.c.apiKey);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.locator('#influencer-rows tr').first().waitFor();
  await page
    .locator('#live[data-state="live"]')
    .waitFor({ timeout: 10_000 })
    .catch(() => console.warn('stream not live; screenshot shows the indicator as it is'));
  await page.mouse.move(0, 0);
  await page.screenshot({ path: join(OUT, `${name}.png`) });
  await extra(page);
  await context.close();
}

mkdirSync(OUT, { recursive: true });
const stack = await createStack('shots');
let browser;
try {
  const demo = await seed(stack);
  browser = await launchChromium();
  await shoot(browser, stack, demo, 'dashboard-desktop', { width: 1280, height: 800 }, async (page) => {
    // Amazon's figures per influencer, with the tag Amazon hides under 10 clicks.
    await page.locator('#influencer-rows [data-role="masked"]').first().waitFor();
    await page.locator('#tabs').evaluate((el) => el.scrollIntoView({ block: 'start' }));
    await page.mouse.move(0, 0);
    await page.screenshot({ path: join(OUT, 'attribution-desktop.png') });
    await page.getByRole('button', { name: 'Timeline of @ava.styles' }).click();
    await page.locator('#timeline-events li').first().waitFor();
    await page.screenshot({ path: join(OUT, 'timeline-desktop.png') });
  });
  await shoot(browser, stack, demo, 'dashboard-phone', { width: 390, height: 844 }, async (page) => {
    await page.locator('#tabs').evaluate((el) => el.scrollIntoView({ block: 'start' }));
    await page.mouse.move(0, 0);
    await page.screenshot({ path: join(OUT, 'influencers-phone.png') });
  });
  const form = await browser.newContext({
    viewport: { width: 390, height: 844 },
    locale: 'en-US',
    userAgent: BROWSER_UA,
  });
  const page = await form.newPage();
  await page.goto(demo.people[8].links.submit);
  await page.getByLabel('Link to your Instagram post or reel').fill('https://www.instagram.com/p/DEMOisla/');
  await page.getByLabel('Caption of the post').fill('New favourite serum #ad #springglow @glowco');
  await page.getByRole('button', { name: 'Submit' }).click();
  await page.locator('#verdict:not([hidden])').waitFor();
  await page.screenshot({ path: join(OUT, 'submit-form-phone.png'), fullPage: true });
  await page.close();
  console.log(`screenshots written to ${OUT}`);
} finally {
  await browser?.close();
  await stack.stop();
}
