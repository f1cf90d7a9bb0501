#!/usr/bin/env node
// Takes the money, statements and webhooks screenshots in docs/screenshots/ from a seeded stack: the real apps
// on their own database and queue prefix (@seedline/testkit), a webhook receiver on loopback
// (WEBHOOK_ALLOW_PRIVATE=1, as in the browser tests), Debian's Chromium through playwright-core.
// Needs the services (npm run services) and a build (npm run build). Run: node scripts/screenshots-money.mjs
import { join } from 'node:path';
import {
  createStack,
  fbaReturnsReport,
  HookReceiver,
  pollUntil,
  request,
  REPO_ROOT,
  seedCampaign,
  submitToken,
} from '@seedline/testkit';
import { launchChromium } from '../test/e2e/dashboard-browser.mjs';

const OUT = join(REPO_ROOT, 'docs', 'screenshots');
const PRODUCT = 'https://www.amazon.com/Glow-Serum/dp/B0CX7Q2M1N';
const PROOFS = ['ava.styles', 'ben_bakes', 'chloe.fit', 'dev.daily', 'emma.glow', 'finn.outdoors', 'gia.travels'];
const OTHERS = ['hugo.eats', 'isla.reads'];

async function seed(stack, receiverUrl) {
  const c = await seedCampaign(stack, {
    name: 'Spring Glow Serum',
    productUrl: PRODUCT,
    reimbursement: {
      price: '24.99',
      shipping: '4.99',
      taxRate: '0.0825',
      currency: 'USD',
      approval: 'review',
      budget: '150.00',
    },
  });
  const base = `${stack.apiUrl}/v1/campaigns/${c.campaignId}`;
  // The endpoints first: the influencers' status changes below are their deliveries.
  const hook = (json) => request(`${stack.apiUrl}/v1/webhook-endpoints`, { method: 'POST', token: c.apiKey, json });
  const crm = await hook({ url: `${receiverUrl}/crm`, description: 'CRM sync' });
  await hook({ url: `${receiverUrl}/slack`, events: ['reimbursement.updated'], description: 'Finance channel' });
  if (crm.status !== 201) throw new Error(`endpoint: ${crm.status} ${JSON.stringify(crm.body)}`);
  const act = (path, json) => request(`${base}${path}`, { method: 'POST', token: c.apiKey, json });
  const ids = {};
  const orders = {};
  let n = 0;
  for (const handle of [...PROOFS, ...OTHERS]) {
    const who = await c.signup(handle);
    ids[handle] = who.influencerId;
    if (!PROOFS.includes(handle)) continue;
    orders[handle] = `114-${String(4827361 + n).padStart(7, '0')}-${String(9283746 - 7 * n).padStart(7, '0')}`;
    const sent = await request(`${stack.ingestUrl}/v1/submissions`, {
      method: 'POST',
      json: {
        token: submitToken(who.links.submit),
        postUrl: `https://www.instagram.com/p/DEMOglow${++n}/`,
        orderId: orders[handle],
        amountPaid: n % 3 === 0 ? '29.99' : '34.50',
        payoutEmail: `${handle.replace(/[^a-z]/g, '')}@example.com`,
      },
    });
    if (sent.status !== 202) throw new Error(`proof: ${sent.status} ${JSON.stringify(sent.body)}`);
  }
  await pollUntil(
    async () =>
      (await request(`${base}/reimbursements?status=pending_review`, { token: c.apiKey })).body.items?.length ===
        PROOFS.length || undefined,
    { what: 'proofs to review', timeoutMs: 30_000 },
  );
  for (const handle of PROOFS.slice(0, 4)) await act(`/reimbursements/${ids[handle]}/approve`);
  for (const [i, handle] of PROOFS.slice(0, 3).entries())
    await act(`/reimbursements/${ids[handle]}/paid`, { reference: `WIRE-20${41 + i}` });
  await act(`/reimbursements/${ids['emma.glow']}/reject`, { reason: 'Order number belongs to a different product' });
  const returned = await request(`${stack.apiUrl}/v1/returns`, {
    method: 'POST',
    token: c.apiKey,
    body: fbaReturnsReport([{ orderId: orders['chloe.fit'], returnDate: new Date().toISOString() }]),
    headers: { 'Content-Type': 'text/plain' },
  });
  if (returned.status !== 200) throw new Error(`returns: ${returned.status} ${JSON.stringify(returned.body)}`);

  await pollUntil(
    async () =>
      (await request(`${stack.apiUrl}/v1/webhook-endpoints/${crm.body.id}/deliveries`, { token: c.apiKey })).body.items
        ?.length >= PROOFS.length || undefined,
    { what: 'deliveries', timeoutMs: 30_000 },
  );
  return c;
}

async function open(browser, stack, c, viewport) {
  const context = await browser.newContext({
    viewport,
    deviceScaleFactor: 1,
    locale: 'en-US',
    timezoneId: 'UTC',
    reducedMotion: 'reduce',
  });
  const page = await context.newPage();
  await page.goto(`${stack.apiUrl}/dashboard`);
  await page.getByLabel('Brand API key').fill(c.apiKey);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.locator('#influencer-rows tr').first().waitFor();
  await page.locator('#money-paid').waitFor();
  return { page, context };
}

const shot = async (page, name, fullPage = false) => {
  await page.mouse.move(0, 0);
  await page.screenshot({ path: join(OUT, `${name}.png`), fullPage });
};

const stack = await createStack('shotsmoney', { WEBHOOK_ALLOW_PRIVATE: '1', WEBHOOK_RETRY_SCHEDULE: '0,1' });
// The CRM fails every third request, so the deliveries show a failed one with its Retry button.
const receiver = new HookReceiver((req, i) =>
  req.path === '/crm' && i % 3 === 0 ? { status: 500, body: 'temporarily unavailable' } : { status: 204 },
);
let browser;
try {
  const c = await seed(stack, await receiver.start());
  browser = await launchChromium();

  const desktop = await open(browser, stack, c, { width: 1280, height: 900 });
  let page = desktop.page;
  await page.locator('#money').evaluate((el) => el.scrollIntoView({ block: 'start' }));
  await shot(page, 'money-desktop');
  await page.getByRole('tab', { name: 'Reimbursements' }).click();
  await page.locator('#reimbursement-rows tr').first().waitFor();
  await page.locator('#money').evaluate((el) => el.scrollIntoView({ block: 'start' }));
  await shot(page, 'to-review-desktop');
  await page.getByRole('tab', { name: 'Statements' }).click();
  await page
    .locator('#weeks li')
    .first()
    .getByRole('button', { name: /^Lines of / })
    .click();
  await page.locator('#statement-lines tbody tr').first().waitFor();
  await page.locator('#tabs').evaluate((el) => el.scrollIntoView({ block: 'start' }));
  await shot(page, 'statements-desktop');
  await page.getByRole('tab', { name: 'Webhooks' }).click();
  await page.locator('#delivery-rows tr').first().waitFor();
  await page.locator('#tabs').evaluate((el) => el.scrollIntoView({ block: 'start' }));
  await shot(page, 'webhooks-desktop');
  await desktop.context.close();

  const phone = await open(browser, stack, c, { width: 390, height: 844 });
  page = phone.page;
  await page.locator('#money').evaluate((el) => el.scrollIntoView({ block: 'start' }));
  await shot(page, 'money-phone');
  await page.getByRole('tab', { name: 'Reimbursements' }).click();
  await page.locator('#reimbursement-rows tr').first().waitFor();
  await page.locator('#tabs').evaluate((el) => el.scrollIntoView({ block: 'start' }));
  await shot(page, 'to-review-phone');
  await phone.context.close();
  console.log(`screenshots written to ${OUT}`);
} finally {
  await browser?.close();
  await receiver.stop();
  await stack.stop();
}
