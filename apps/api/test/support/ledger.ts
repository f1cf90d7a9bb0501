import type mongoose from 'mongoose';
import { createRepositories, type Repositories } from '@seedline/db';
import { parseDataKey, sealText } from '@seedline/domain';

const KEY = parseDataKey('11'.repeat(32))!;
let n = 0;
const hex = (i: number) =>
  (0x77e1000000000000000000n + BigInt(i) + BigInt(Date.now() % 1_000_000) * 1000n).toString(16).padStart(24, '0');

/**
 * Drives reimbursements through the ledger's own functions (the worker's path: sign-up, accepted post, proof)
 * so API tests can reach any state without a payout provider.
 */
export function ledgerDriver(conn: mongoose.Connection) {
  const repos: Repositories = createRepositories(conn);
  return {
    repos,
    /** A signed-up influencer with an accepted post and a proof: its reimbursement is decided (approved in auto mode). */
    async due(campaignId: string, handle: string, orderId: string, paid = 2499) {
      const id = hex(++n);
      const at = new Date().toISOString();
      await repos.influencers.applySignups([
        { eventId: `su-${id}`, campaignId, influencerId: id, instagramHandle: handle, at },
      ]);
      const job = {
        eventId: `sub-${id}`,
        campaignId,
        influencerId: id,
        postUrl: 'https://www.instagram.com/p/abc/',
        at,
      };
      await repos.influencers.applySubmission(
        job,
        { accepted: true, reasons: [], missingHashtags: [], missingMentions: [] },
        job.postUrl,
      );
      const proof = { orderId, amountPaid: paid, currency: 'USD', payoutEmail: sealText(`${handle}@example.com`, KEY) };
      await repos.dueReimbursements.applyProof(job, proof);
      return id;
    },
    /** approved → sending → paid, as a provider confirming the payout would. */
    async pay(id: string, reference: string, o: { confirm?: boolean } = {}) {
      const sending = await repos.reimbursements.transition(id, {
        from: ['approved'],
        to: 'sending',
        source: 'payouts',
      });
      if (!sending.ok) throw new Error(`sending: ${JSON.stringify(sending)}`);
      if (o.confirm === false) return;
      const paid = await repos.reimbursements.transition(id, {
        from: ['sending'],
        to: 'paid',
        source: 'payouts',
        providerRef: reference,
        set: { paymentReference: reference },
      });
      if (!paid.ok) throw new Error(`paid: ${JSON.stringify(paid)}`);
    },
    state: async (id: string | undefined) => (await repos.reimbursements.findById(id ?? ''))?.state,
  };
}
