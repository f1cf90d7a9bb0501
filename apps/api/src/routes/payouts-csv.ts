import type { Response } from 'express';
import type { CampaignDoc } from '@seedline/db';
import type { ApiDeps } from '../deps.js';
import { csvCell } from '../presenters/influencer.presenter.js';
import { presentReimbursement } from '../presenters/reimbursement.presenter.js';

export const PAYOUT_CSV_COLUMNS = [
  'reimbursementId',
  'influencerId',
  'instagramHandle',
  'payoutEmail',
  'amount',
  'currency',
  'orderId',
] as const;

/**
 * The manual provider's worklist: every approved reimbursement of the campaign, to be paid by the brand's
 * own means and then marked with `POST …/reimbursements/:rid/paid {reference}`. Read in keyset pages, so
 * memory stays flat; the payout addresses are opened for the owning brand only.
 */
export async function payoutsCsv(deps: ApiDeps, campaign: CampaignDoc, res: Response): Promise<void> {
  res.setHeader('Content-Type', 'text/csv; charset=utf-8');
  res.setHeader('Content-Disposition', `attachment; filename="campaign-${campaign._id}-payouts.csv"`);
  res.setHeader('Cache-Control', 'no-store');
  res.write(`${PAYOUT_CSV_COLUMNS.join(',')}\n`);
  for (let after: string | undefined; ;) {
    const page = await deps.repos.reimbursements.page(campaign._id, { state: 'approved', after, limit: 500 });
    for (const doc of page) {
      const r = presentReimbursement(doc, deps.config.DATA_KEY);
      const cells = [r.id, r.influencerId, r.instagramHandle, r.payoutEmail, r.amount, r.currency, r.orderId];
      res.write(`${cells.map(csvCell).join(',')}\n`);
    }
    after = page[page.length - 1]?._id;
    if (page.length < 500 || res.destroyed) break;
  }
  res.end();
}
