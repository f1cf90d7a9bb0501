// The page.evaluate callbacks run in the browser: their globals need the DOM types.
/// <reference lib="dom" />
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { createStack, pollUntil, request, type Stack } from '@seedline/testkit';
import { signIn, launchBrandPage } from './support/dashboard-setup.js';
import { GLOW_PRODUCT, seedMoneyCampaign, type MoneyCampaign } from './support/money-setup.js';
import { text, waitForText } from './support/page-text.js';

/**
 * The dashboard's money views in Chromium against the real stack: the figures on top, the reimbursement
 * column, the "To review" list with Approve and Reject (a reason asked in a dialog), the budget refusing an
 * approval, Mark paid, the weekly statement with its CSV, and a returned product marked in the list.
 */
const PROOFS = ['ana', 'ben', 'cleo'];
const REASON = '<b>Order cancelled</b> on Amazon';

describe('dashboard money views in Chromium', () => {
  let stack: Stack;
  let browser: Browser;
  let page: Page;
  let c: MoneyCampaign;
  const problems: string[] = [];

  const influencerRow = (handle: string) => page.locator(`#influencer-rows tr[data-handle="${handle}"]`);
  const moneyRow = (handle: string) => page.locator(`#reimbursement-rows tr[data-handle="${handle}"]`);
  const figure = (id: string) => page.locator(`#${id} .figure__value`);
  /** The handles listed, sorted (the list is in reimbursement id order, which is not the handles' order). */
  const shownHandles = async () =>
    (
      await page.locator('#reimbursement-rows tr').evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-handle')))
    ).sort();
  /**
   * Waits until the list shows exactly these handles; a timeout says what the page showed instead (the list, the
   * panel's error, the page's banner, whether a load was still running), so a failure names its cause.
   */
  const waitForList = (handles: string, what: string) =>
    pollUntil(async () => (await shownHandles()).join() === handles || undefined, { what }).catch(
      async (err: Error) => {
        const shown = await page.evaluate(() => {
          const visibleText = (id: string) => {
            const el = document.getElementById(id);
            return el && !el.hidden ? el.textContent : null;
          };
          return {
            panelError: visibleText('money-error'),
            banner: visibleText('banner'),
            empty: visibleText('money-empty') !== null,
            loading: document.getElementById('reimbursements')?.getAttribute('aria-busy') === 'true',
          };
        });
        throw new Error(`${err.message}; the page showed ${JSON.stringify({ list: await shownHandles(), ...shown })}`);
      },
    );
  /** No sideways scrolling: the page is no wider than the screen (names the widest element when it is). */
  const fitsWidth = async (width: number) => {
    const [scroll, widest] = await page.evaluate(() => {
      const over = Array.from(document.querySelectorAll<HTMLElement>('body *'))
        .filter((el) => el.getBoundingClientRect().right > document.documentElement.clientWidth + 1)
        .map((el) => `${el.tagName.toLowerCase()}#${el.id}.${el.className}`);
      return [document.documentElement.scrollWidth, over.slice(0, 5).join(' ')] as const;
    });
    expect(scroll, widest).toBeLessThanOrEqual(width);
  };

  beforeAll(async () => {
    stack = await createStack('dashmoney');
    c = await seedMoneyCampaign(stack, PROOFS, ['dave']);
    // A long name: the campaign picker is as wide as its longest option, and must still fit a phone.
    const long = await request(`${stack.apiUrl}/v1/campaigns`, {
      method: 'POST',
      token: c.apiKey,
      json: {
        name: 'Summer 2026 Hydrating Face Serum launch (US micro)',
        productUrl: GLOW_PRODUCT,
        reviewUrl: GLOW_PRODUCT,
      },
    });
    expect(long.status).toBe(201);
    ({ browser, page } = await launchBrandPage(problems));
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  it('shows paid, owed and the budget left on top, and each influencer’s reimbursement in the list', async () => {
    await signIn(page, stack.apiUrl, c.apiKey);
    await page.getByLabel('Campaign', { exact: true }).selectOption({ label: 'Glow money' });
    await waitForText(page.locator('#campaign-name'), 'Glow money', 'campaign heading');
    await waitForText(figure('money-paid'), '$0.00', 'paid');
    expect(await text(figure('money-owed'))).toBe('$60.00');
    expect(await text(page.locator('#money-owed .figure__note'))).toBe('3 reimbursements not paid yet');
    expect(await text(figure('money-budget'))).toBe('$50.00');
    expect(await text(figure('money-review'))).toBe('3');
    await waitForText(
      influencerRow('ana').locator('td[data-label="Reimbursement"]'),
      'To review $20.00',
      "ana's money",
    );
    expect(await text(influencerRow('dave').locator('td[data-label="Reimbursement"]'))).toMatch(/^Awaiting proof|^—$/);
  });

  it('lists what is to review, approves within the budget and refuses past it', async () => {
    await page.getByRole('tab', { name: 'Reimbursements' }).click();
    await waitForList('ana,ben,cleo', 'to review');
    expect(await text(moneyRow('ana'))).toMatch(/^@ana To review \$20\.00 113-\d{7}-\d{7} \$20\.00/);

    await moneyRow('ana').getByRole('button', { name: 'Approve the reimbursement of @ana' }).click();
    await waitForList('ben,cleo', 'ana approved');
    await waitForText(figure('money-budget'), '$30.00', 'budget after one approval');
    await moneyRow('ben').getByRole('button', { name: 'Approve' }).click();
    await waitForText(figure('money-budget'), '$10.00', 'budget after two approvals');
    await waitForList('cleo', 'ben approved');

    await moneyRow('cleo').getByRole('button', { name: 'Approve' }).click();
    await waitForText(page.locator('#money-error'), /would exceed the campaign's budget: \$10\.00 left/, 'over budget');
    expect(await shownHandles()).toEqual(['cleo']);
    expect(await text(figure('money-review'))).toBe('1');
    await waitForText(influencerRow('ana').locator('td[data-label="Reimbursement"]'), 'Approved $20.00', 'ana in list');
  });

  it('asks for a reason to reject, shows it as text, and the influencer list follows', async () => {
    const reject = moneyRow('cleo').getByRole('button', { name: 'Reject the reimbursement of @cleo' });
    const dialog = page.locator('#ask');
    await reject.click();
    await waitForText(page.locator('#ask-title'), 'Reject the reimbursement of @cleo', 'dialog title');
    await page.getByRole('button', { name: 'Cancel' }).click();
    expect(await dialog.isVisible()).toBe(false);
    expect(await page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe(
      'Reject the reimbursement of @cleo',
    );
    expect(await shownHandles()).toEqual(['cleo']);

    await reject.click();
    await page.locator('#ask').getByRole('button', { name: 'Reject' }).click();
    await waitForText(page.locator('#ask-error'), 'This cannot be empty.', 'empty reason refused');
    await page.getByLabel('Reason (the influencer is told)').fill(REASON);
    await page.keyboard.press('Enter');
    await waitForText(page.locator('#money-empty'), /Nothing to review/, 'nothing left to review');
    await waitForText(figure('money-review'), '0', 'to review count');

    await page.getByLabel('Show', { exact: true }).selectOption('rejected');
    await waitForList('cleo', 'rejected filter');
    // The reason is text, not markup.
    expect(await text(moneyRow('cleo').locator('td[data-label="Reason"]'))).toBe(REASON);
    expect(await moneyRow('cleo').locator('b').count()).toBe(0);
    await page.getByRole('tab', { name: 'Influencers' }).click();
    await waitForText(
      influencerRow('cleo').locator('td[data-label="Reimbursement"]'),
      `Rejected $20.00 ${REASON}`,
      "cleo's rejection in the list",
    );
  });

  it('marks an approved reimbursement paid with a reference, and the figures follow', async () => {
    await page.getByRole('tab', { name: 'Reimbursements' }).click();
    await page.getByLabel('Show', { exact: true }).selectOption('approved');
    await waitForList('ana,ben', 'approved filter');
    // The manual provider's list of what to pay, with the payout addresses.
    const [payouts] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Download payouts CSV' }).click(),
    ]);
    expect(payouts.suggestedFilename()).toBe(`campaign-${c.campaignId}-payouts.csv`);
    const rows = readFileSync(await payouts.path(), 'utf8')
      .trim()
      .split(/\r?\n/);
    expect(rows[0]).toBe('reimbursementId,influencerId,instagramHandle,payoutEmail,amount,currency,orderId');
    expect(
      rows
        .slice(1)
        .map((r) => r.split(',').slice(2, 6).join())
        .sort(),
    ).toEqual(['ana,ana@example.com,20.00,USD', 'ben,ben@example.com,20.00,USD']);
    await moneyRow('ana').getByRole('button', { name: 'Mark paid' }).click();
    await page.getByLabel('Your payment reference').fill('WIRE-0001');
    await page.locator('#ask').getByRole('button', { name: 'Mark paid' }).click();
    await waitForText(figure('money-paid'), '$20.00', 'paid figure');
    expect(await text(page.locator('#money-paid .figure__note'))).toBe('1 reimbursement');
    expect(await text(figure('money-owed'))).toBe('$20.00');
    expect(await text(figure('money-budget'))).toBe('$10.00');
    await waitForList('ben', 'ana paid');
  });

  it("shows this week's statement with its totals and lines, and downloads its CSV", async () => {
    const week = await c.currentWeek();
    await page.getByRole('tab', { name: 'Statements' }).click();
    const card = page.locator(`#weeks li[data-week="${week}"]`);
    await waitForText(card.locator('.week__total'), '$20.00 paid (1) · $0.00 credited (0) · $20.00 net', 'totals');
    expect(await text(card.locator('.week__head'))).toMatch(new RegExp(`^${week} In progress `));
    await card.getByRole('button', { name: `Lines of ${week}` }).click();
    const line = page.locator('#statement-lines tbody tr[data-handle="ana"]');
    await waitForText(
      line,
      new RegExp(`^Payout Glow money @ana ${c.orderOf.get('ana')} \\$20\\.00 WIRE-0001 `),
      'line',
    );

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      card.getByRole('button', { name: `Download ${week} as CSV` }).click(),
    ]);
    expect(download.suggestedFilename()).toBe(`statement-${week}.csv`);
    const csv = readFileSync(await download.path(), 'utf8')
      .trim()
      .split('\n');
    expect(csv[0]).toMatch(/^week,type,at,campaign_id,campaign,instagram_handle,order_id,amount,currency,/);
    expect(csv.find((l) => l.includes(',payout,'))).toContain(`,ana,${c.orderOf.get('ana')},20.00,USD,WIRE-0001,`);
    expect(csv.at(-1)).toMatch(new RegExp(`^${week},total,.*,20\\.00,USD,,$`));
  });

  it('marks a returned product in the list and credits it on the statement', async () => {
    await c.returnOrder('ana');
    await page.getByRole('tab', { name: 'Statements' }).click();
    const week = await c.currentWeek();
    const card = page.locator(`#weeks li[data-week="${week}"]`);
    await waitForText(card.locator('.week__total'), '$20.00 paid (1) · $20.00 credited (1) · $0.00 net', 'credit');
    await card.getByRole('button', { name: `Lines of ${week}` }).click();
    await waitForText(
      page.locator('#statement-lines tbody tr[data-type="return_credit"]'),
      /^Return credit Glow money @ana .* −\$20\.00 /,
      'return credit line',
    );
    await page.getByRole('tab', { name: 'Influencers' }).click();
    await page.getByLabel('Search by handle').fill('ana');
    const cell = influencerRow('ana').locator('td[data-label="Reimbursement"]');
    await waitForText(cell, /^Returned \$20\.00/, 'returned marker');
    expect(await cell.locator('.rbadge--returned').count()).toBe(1);
    await page.getByLabel('Search by handle').fill('');
    await pollUntil(async () => (await page.locator('#influencer-rows tr').count()) === 4, { what: 'all rows' });
  });

  it('fits a phone-sized screen in every money view', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    await fitsWidth(390);
    expect(await page.locator('#money').isVisible()).toBe(true);
    expect(await influencerRow('cleo').locator('td[data-label="Reimbursement"]').isVisible()).toBe(true);
    await page.getByRole('tab', { name: 'Reimbursements' }).click();
    await page.getByLabel('Show', { exact: true }).selectOption('');
    await pollUntil(async () => (await shownHandles()).length === 3 || undefined, { what: 'all reimbursements' });
    await fitsWidth(390);
    expect(await page.locator('#reimbursements thead').isVisible()).toBe(false);
    expect(await moneyRow('ben').getByRole('button', { name: 'Mark paid' }).isVisible()).toBe(true);
    await page.getByRole('tab', { name: 'Statements' }).click();
    await page.locator('#weeks li').first().waitFor();
    await fitsWidth(390);
    await page.setViewportSize({ width: 1280, height: 800 });
  });

  it('shows no money figures or column for a campaign that reimburses nothing', async () => {
    await page.getByRole('tab', { name: 'Influencers' }).click();
    await page.getByLabel('Campaign', { exact: true }).selectOption({ label: 'No money' });
    await waitForText(page.locator('#campaign-name'), 'No money', 'campaign heading');
    await waitForText(page.locator('#empty'), /No influencers yet/, 'empty list');
    expect(await page.locator('#money').isVisible()).toBe(false);
    expect(await page.locator('#influencers').getAttribute('class')).toContain('no-money');
    await page.getByLabel('Campaign', { exact: true }).selectOption({ label: 'Glow money' });
    await waitForText(figure('money-budget'), /^\$\d+\.\d\d$/, 'the money campaign again');
    await pollUntil(async () => (await page.locator('#influencer-rows tr').count()) === 4, { what: 'rows back' });
    expect(await page.locator('#influencers th.money').isVisible()).toBe(true);
    expect(problems).toEqual([]);
  });
});
