import { parseInstagramPostUrl, verifyCaption, type SubmissionJob } from '@seedline/domain';
import type { Handler } from './processor.js';
import type { WorkerServices } from '../services.js';
import { startVerification } from '../instagram/start-verification.js';
import { recordVerdict } from '../instagram/record-verdict.js';

/**
 * The post part of a submission: its verdict, the status it may move, and the review-stage reminder. With the
 * brand's Instagram account connected the post waits for Instagram instead (false until verified).
 */
async function applyPost(s: WorkerServices, job: SubmissionJob & { postUrl: string }): Promise<boolean> {
  const campaign = await s.campaigns.get(job.campaignId);
  const post = parseInstagramPostUrl(job.postUrl);
  if (campaign && post && (await startVerification(s, job, campaign.brandId, post))) return false;
  const verdict = verifyCaption(job.caption, campaign?.requirements ?? { hashtags: [], mentions: [] });
  if (!post) verdict.reasons.unshift('post URL is not an Instagram post or reel');
  if (!campaign) verdict.reasons.unshift('campaign no longer exists');
  verdict.accepted = verdict.reasons.length === 0;
  await recordVerdict(s, job, verdict, post?.url ?? job.postUrl);
  return verdict.accepted;
}

export const submissionProcessor =
  (s: WorkerServices): Handler<'submissions'> =>
  async (job) => {
    const accepted = job.postUrl === undefined ? null : await applyPost(s, { ...job, postUrl: job.postUrl });
    // The proof after the post: with both in one submission, the reimbursement is due at once.
    // A campaign without reimbursements owes nothing on an accepted post: known from the cached campaign (as
    // afterChanges decides it), which spares the database a read per submission (issue 24).
    const owes = accepted === true && Boolean((await s.campaigns.get(job.campaignId))?.reimbursement);
    const money = job.proof
      ? await s.repos.dueReimbursements.applyProof(job, job.proof)
      : owes
        ? await s.repos.dueReimbursements.refresh(job.campaignId, job.influencerId)
        : [];
    await s.money.after(money);
    return { accepted, reimbursement: money.map((e) => e.to) };
  };
