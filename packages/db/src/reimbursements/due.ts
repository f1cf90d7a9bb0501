import { REIMBURSEMENT_REASONS, type ProofJob } from '@seedline/domain';
import type { CampaignRepository } from '../campaigns/campaign.repository.js';
import type { InfluencerDoc } from '../influencers/influencer.schema.js';
import type { EntryDoc } from './entry.schema.js';
import type { ReimbursementRepository } from './reimbursement.repository.js';

/**
 * The worker's side of reimbursements: a proof arrives, or an influencer's status moves; either may make a
 * reimbursement due. Both end in `evaluate`, which decides a proof once (see evaluate.ts).
 */
export function dueReimbursements(
  repo: ReimbursementRepository,
  influencers: { findById(id: string): Promise<InfluencerDoc | null> },
  campaigns: Pick<CampaignRepository, 'findById'>,
  /** the orders reports' kept lines (orders/order-match.ts) */
  orders?: { matchStored(brandId: string, orderIds: readonly string[]): Promise<EntryDoc[]> },
) {
  /**
   * A proof that now waits for its order in an orders report (`requireOrderMatch`) is matched at once against
   * the reports already uploaded: the brand may have uploaded the report before the influencer sent the proof.
   */
  const matchUploaded = async (brandId: string, moves: EntryDoc[]): Promise<EntryDoc[]> => {
    const waiting = moves.find(
      (e) => e.to === 'pending_review' && e.reason === REIMBURSEMENT_REASONS.awaitingOrderMatch,
    );
    if (!waiting || !orders) return moves;
    const orderId = (await repo.findById(waiting.reimbursementId))?.proof?.orderId;
    return orderId ? [...moves, ...(await orders.matchStored(brandId, [orderId]))] : moves;
  };
  const context = async (campaignId: string, influencerId: string) => {
    const campaign = await campaigns.findById(campaignId);
    const settings = campaign?.reimbursement;
    if (!campaign || !settings) return null;
    const influencer = await influencers.findById(influencerId);
    const owner = {
      influencerId,
      campaignId,
      brandId: campaign.brandId,
      instagramHandle: influencer?.instagramHandle ?? null,
      settings,
    };
    const terms = { settings, priceHistory: campaign.priceHistory ?? [] };
    const facts = {
      done: influencer?.doneAt != null,
      firstPurchaseClickAt: influencer?.firstPurchaseClickAt ? new Date(influencer.firstPurchaseClickAt) : null,
    };
    return { owner, terms, facts };
  };

  const refresh = async (campaignId: string, influencerId: string): Promise<EntryDoc[]> => {
    const ctx = await context(campaignId, influencerId);
    if (!ctx) return [];
    let doc = await repo.findById(influencerId);
    if (!doc && !ctx.facts.done) return [];
    doc ??= await repo.proofs.ensure(ctx.owner);
    return matchUploaded(ctx.owner.brandId, await repo.evaluate(doc, ctx.facts, ctx.terms));
  };

  return {
    refresh,
    /** Stores a proof from a submission (the campaign's terms decide whether it is owed anything yet). */
    async applyProof(
      job: { campaignId: string; influencerId: string; eventId: string; at: string },
      proof: ProofJob,
    ): Promise<EntryDoc[]> {
      const ctx = await context(job.campaignId, job.influencerId);
      if (!ctx) return [];
      const doc = await repo.proofs.ensure(ctx.owner);
      await repo.proofs.record(doc, {
        orderId: proof.orderId,
        amountPaid: proof.amountPaid,
        payoutEmail: proof.payoutEmail,
        submissionId: job.eventId,
        at: new Date(job.at),
      });
      const after = await repo.findById(job.influencerId);
      return after ? matchUploaded(ctx.owner.brandId, await repo.evaluate(after, ctx.facts, ctx.terms)) : [];
    },
  };
}
export type DueReimbursements = ReturnType<typeof dueReimbursements>;
