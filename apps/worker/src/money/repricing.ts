import type { CampaignCache, Repositories } from '@seedline/db';
import { jobIdFor, JOB_CATALOGUE, type ClickEvent } from '@seedline/domain';
import type { Queues } from '@seedline/runtime';

/**
 * The price owed is the one in force at the influencer's first human purchase click. Under load the clicks
 * queue runs behind the submissions queue, so a click answered before a price change may be applied only
 * after the proof was priced, at the proof's moment (the new price). After each batch of clicks, the
 * reimbursements still open (pending review, held) that were priced at a moment later than one of its human
 * purchase clicks get a `reimbursements` job, which prices them again at the click.
 */
export function clickRepricing(repos: Repositories, campaigns: CampaignCache, queues: Queues) {
  return async (events: ClickEvent[]): Promise<number> => {
    const reimburses = new Map<string, boolean>();
    const first = new Map<string, { at: Date; campaignId: string }>();
    for (const e of events) {
      if (e.link !== 'purchase' || !e.human || e.flagged) continue;
      let terms = reimburses.get(e.campaignId);
      if (terms === undefined) {
        terms = Boolean((await campaigns.get(e.campaignId))?.reimbursement);
        reimburses.set(e.campaignId, terms);
      }
      const at = new Date(e.at);
      const seen = first.get(e.influencerId);
      if (terms && (!seen || at < seen.at)) first.set(e.influencerId, { at, campaignId: e.campaignId });
    }
    if (first.size === 0) return 0;
    const stale = await repos.reimbursements.pricedAfter(new Map([...first].map(([id, f]) => [id, f.at])));
    if (stale.length === 0) return 0;
    await queues.reimbursements.addBulk(
      stale.map((id) => {
        const f = first.get(id) as { at: Date; campaignId: string };
        return {
          name: 'reimbursements',
          data: { campaignId: f.campaignId, influencerId: id },
          opts: { ...JOB_CATALOGUE.reimbursements.options, jobId: jobIdFor('reprice', `${id}-${f.at.getTime()}`) },
        };
      }),
    );
    return stale.length;
  };
}
