import { parseInstagramPostUrl, verifyCaption } from '@seedline/domain';
import type { Handler } from './processor.js';
import type { WorkerServices } from '../services.js';

export const submissionProcessor =
  (s: WorkerServices): Handler<'submissions'> =>
  async (job) => {
    const campaign = await s.campaigns.get(job.campaignId);
    const post = parseInstagramPostUrl(job.postUrl);
    const verdict = verifyCaption(job.caption, campaign?.requirements ?? { hashtags: [], mentions: [] });
    if (!post) verdict.reasons.unshift('post URL is not an Instagram post or reel');
    if (!campaign) verdict.reasons.unshift('campaign no longer exists');
    verdict.accepted = verdict.reasons.length === 0;
    const changes = await s.repos.influencers.applySubmission(job, verdict, post?.url ?? job.postUrl);
    await s.afterChanges(changes);
    if (verdict.accepted) {
      // Also when the status change was applied by an earlier, interrupted delivery of this job.
      const influencer = await s.repos.influencers.findById(job.influencerId);
      if (influencer?.status === 'done' && influencer.doneAt)
        await s.reminders.enterStage(job.campaignId, job.influencerId, 'review', new Date(influencer.doneAt));
    }
    return { accepted: verdict.accepted };
  };
