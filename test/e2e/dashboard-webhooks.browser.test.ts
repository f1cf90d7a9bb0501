// The page.evaluate callbacks run in the browser: their globals need the DOM types.
/// <reference lib="dom" />
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { BROWSER_UA, createStack, HookReceiver, pollUntil, request, seedCampaign, type Stack } from '@seedline/testkit';
import { signIn, launchBrandPage } from './support/dashboard-setup.js';
import { text, waitForText } from './support/page-text.js';

/**
 * The dashboard's Webhooks view in Chromium against the real stack and a real receiver on loopback
 * (WEBHOOK_ALLOW_PRIVATE=1): endpoints with their state, a failed delivery with the receiver's answer, Retry
 * delivering it, and a test ping sent from the page.
 */
const DESCRIPTION = 'CRM <i>sync</i>';

describe('dashboard webhooks view in Chromium', () => {
  let stack: Stack;
  let browser: Browser;
  let page: Page;
  let apiKey = '';
  let url = '';
  let failing = true;
  const receiver = new HookReceiver(() => (failing ? { status: 500, body: '<b>boom</b>' } : { status: 200 }));
  const problems: string[] = [];

  const endpoint = (u: string) => page.locator('#endpoints li').filter({ has: page.getByText(u, { exact: true }) });
  const delivery = (type: string) => page.locator(`#delivery-rows tr[data-type="${type}"]`).first();
  /** Clicks Refresh until the delivery of `type` shows `status` (deliveries move on the worker's clock). */
  const waitForDelivery = (type: string, status: string) =>
    pollUntil(
      async () => {
        await page.locator('#deliveries').getByRole('button', { name: 'Refresh' }).click();
        await page.locator('#delivery-rows, #no-deliveries').first().waitFor();
        return (
          (await delivery(type)
            .getAttribute('data-status')
            .catch(() => null)) === status || undefined
        );
      },
      { what: `${type} delivery ${status}`, timeoutMs: 30_000, intervalMs: 500 },
    );

  beforeAll(async () => {
    stack = await createStack('dashhooks', {
      WEBHOOK_ALLOW_PRIVATE: '1',
      // two attempts a second apart, then the delivery is failed
      WEBHOOK_RETRY_SCHEDULE: '0,1',
      WEBHOOK_DELIVERY_TIMEOUT_MS: '3000',
    });
    const base = await receiver.start();
    url = `${base}/hooks`;
    const c = await seedCampaign(stack, { name: 'Hooked' });
    apiKey = c.apiKey;
    const post = (json: unknown) =>
      request(`${stack.apiUrl}/v1/webhook-endpoints`, { method: 'POST', token: apiKey, json });
    const created = await post({ url, events: ['influencer.status_changed'], description: DESCRIPTION });
    expect(created.status).toBe(201);
    const paused = await post({ url: `${base}/paused` });
    expect(paused.status).toBe(201);
    const patched = await request(`${stack.apiUrl}/v1/webhook-endpoints/${paused.body.id as string}`, {
      method: 'PATCH',
      token: apiKey,
      json: { enabled: false },
    });
    expect(patched.status).toBe(200);
    // zoe's purchase click: an influencer.status_changed event (signed_up → purchased) for the endpoint.
    const zoe = await c.signup('zoe');
    await pollUntil(async () => (await c.list()).body.items?.length === 1 || undefined, { what: 'sign-up applied' });
    await fetch(zoe.links.purchase, { redirect: 'manual', headers: { 'User-Agent': BROWSER_UA } });
    await pollUntil(() => receiver.requests.length >= 2 || undefined, {
      what: 'two failed attempts',
      timeoutMs: 60_000,
    });

    ({ browser, page } = await launchBrandPage(problems));
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await receiver.stop();
    await stack?.stop();
  });

  it('lists the endpoints with their state, and the failed delivery with the receiver’s answer', async () => {
    await signIn(page, stack.apiUrl, apiKey);
    await waitForText(page.locator('#campaign-name'), 'Hooked', 'campaign heading');
    await page.getByRole('tab', { name: 'Webhooks' }).click();

    await waitForText(
      endpoint(url).locator('.endpoint__meta'),
      /^Failing since .+ influencer\.status_changed$/,
      'state',
    );
    // Text from the API stays text.
    expect(await text(endpoint(url).getByText(DESCRIPTION, { exact: true }))).toBe(DESCRIPTION);
    expect(await endpoint(url).locator('i').count()).toBe(0);
    expect(await text(endpoint(`${url.replace('/hooks', '/paused')}`).locator('[data-role="endpoint-state"]'))).toBe(
      'Paused',
    );

    await waitForDelivery('influencer.status_changed', 'failed');
    const row = delivery('influencer.status_changed');
    expect(await text(row.locator('td[data-label="Status"]'))).toBe('Failed');
    expect(await text(row.locator('td[data-label="Attempts"]'))).toBe('2');
    expect(await text(row.locator('td[data-label="Last answer"]'))).toMatch(/^HTTP 500 · \d+ ms$/);
  });

  it('retries a failed delivery: the receiver gets it again and it shows as delivered', async () => {
    failing = false;
    const before = receiver.requests.length;
    await delivery('influencer.status_changed')
      .getByRole('button', { name: 'Retry the influencer.status_changed delivery' })
      .click();
    await waitForText(
      page.locator('#webhooks-status'),
      'The influencer.status_changed delivery is queued again.',
      'queued',
    );
    await waitForDelivery('influencer.status_changed', 'succeeded');
    expect(await text(delivery('influencer.status_changed').locator('td[data-label="Status"]'))).toBe('Delivered');
    expect(await text(delivery('influencer.status_changed').locator('td[data-label="Last answer"]'))).toMatch(
      /^HTTP 200 /,
    );
    expect(await delivery('influencer.status_changed').getByRole('button', { name: /Retry/ }).count()).toBe(0);
    expect(receiver.requests.length).toBeGreaterThan(before);
    // The same event: the webhook-id of the retry is the first attempt's.
    const ids = new Set(receiver.requests.filter((r) => r.path === '/hooks').map((r) => r.headers['webhook-id']));
    expect(ids.size).toBe(1);
  });

  it('sends a test ping from the page, and the endpoint is no longer failing', async () => {
    await endpoint(url)
      .getByRole('button', { name: `Send a test ping to ${url}` })
      .click();
    await waitForText(page.locator('#webhooks-status'), `A test ping is on its way to ${url}.`, 'ping queued');
    await waitForDelivery('ping', 'succeeded');
    await page.getByRole('tab', { name: 'Influencers' }).click();
    await page.getByRole('tab', { name: 'Webhooks' }).click();
    await waitForText(endpoint(url).locator('[data-role="endpoint-state"]'), 'Enabled', 'endpoint healthy again');
  });

  it('fits a phone-sized screen', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    await delivery('ping').waitFor();
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    expect(await page.locator('#delivery-table thead').isVisible()).toBe(false);
    expect(await delivery('ping').locator('td[data-label="Status"]').isVisible()).toBe(true);
    await page.setViewportSize({ width: 1280, height: 800 });
    expect(problems).toEqual([]);
  });
});
