import { composeReimbursementNotice, formatMoney } from '@seedline/domain';
import { UnrecoverableError } from 'bullmq';
import { DeliveryError } from '../reminders/channels/channel.js';
import type { Handler } from './processor.js';
import type { WorkerServices } from '../services.js';

/**
 * Emails the influencer about one ledger entry (approved, paid, held, rejected), through the reminder email
 * channel. The Message-ID derives from the entry, so a retry after an unconfirmed send is recognisable as
 * the same message; the entry is marked sent once the server took it.
 */
export const reimbursementNoticeProcessor =
  (s: WorkerServices): Handler<'reimbursement-notices'> =>
  async (job) => {
    const entry = await s.repos.reimbursements.entryById(job.entryId);
    if (!entry || entry.notice !== 'pending') return { skipped: 'nothing owed' };
    const influencer = await s.repos.influencers.findById(entry.influencerId);
    if (!influencer?.email) {
      await s.repos.reimbursements.markNotice(entry._id, 'failed');
      return { skipped: 'no email address' };
    }
    const campaign = await s.campaigns.get(entry.campaignId);
    const email = composeReimbursementNotice({
      entryId: entry._id,
      from: s.config.REMINDER_FROM,
      to: influencer.email,
      state: entry.to,
      amount: entry.amount === null ? null : formatMoney(entry.amount, entry.currency),
      currency: entry.currency,
      reason: entry.reason,
      campaignName: campaign?.name ?? 'your campaign',
      handle: influencer.instagramHandle,
    });
    try {
      await s.noticeMailer.send(email);
    } catch (err) {
      if (err instanceof DeliveryError && err.permanent) {
        await s.repos.reimbursements.markNotice(entry._id, 'failed');
        throw new UnrecoverableError(err.message);
      }
      throw err;
    }
    await s.repos.reimbursements.markNotice(entry._id, 'sent');
    return { sent: email.messageId };
  };
