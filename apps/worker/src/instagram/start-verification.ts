import type { InstagramPost, SubmissionJob } from '@seedline/domain';
import type { WorkerServices } from '../services.js';
import { queueCheck, secondsFromNow } from './context.js';
import { recordVerdict } from './record-verdict.js';

/**
 * With the brand's Instagram account connected, Instagram decides, not the typed caption: the submission is
 * recorded as `pending` (the status stays) and a check is queued. False when the brand has no account connected.
 */
export async function startVerification(
  s: WorkerServices,
  job: SubmissionJob & { postUrl: string },
  brandId: string,
  post: InstagramPost,
): Promise<boolean> {
  const ig = s.instagram;
  if (!ig || !(await s.repos.instagram.account(brandId))) return false;
  const influencer = await s.repos.influencers.findById(job.influencerId);
  if (!influencer?.instagramHandle) throw new Error('submission before its sign-up was applied; retried');
  const now = Date.now();
  // The check first: a pending submission always has a check that will decide it.
  await s.repos.instagram.addCheck({
    _id: job.eventId,
    brandId,
    campaignId: job.campaignId,
    influencerId: job.influencerId,
    handle: influencer.instagramHandle,
    postUrl: post.url,
    shortcode: post.shortcode,
    typedCaption: job.caption ?? null,
    submittedAt: new Date(job.at),
    source: 'form',
    state: 'pending',
    tries: 0,
    nextAt: new Date(now),
    verifyUntil: secondsFromNow(ig.config.IG_VERIFY_FOR_SECONDS, new Date(job.at).getTime()),
    recheckUntil: null,
    mediaId: null,
    permalink: null,
    foundVia: null,
    decidedAt: null,
    removedAt: null,
  });
  const none = { accepted: false, reasons: [], missingHashtags: [], missingMentions: [] };
  await recordVerdict(s, job, none, post.url, { pending: true });
  await queueCheck(ig, job.eventId, new Date(now));
  return true;
}
