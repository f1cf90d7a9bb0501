import type { InstagramCheckDoc } from '@seedline/db';
import { judgeMedia, verifyCaption, type Verdict } from '@seedline/domain';
import type { WorkerServices } from '../services.js';
import { connectedAccount, queueCheck, secondsFromNow, type InstagramContext } from './context.js';
import { findPost, passing, type FoundPost } from './post-finder.js';
import { recordVerdict } from './record-verdict.js';
import { recheck } from './recheck.js';

/**
 * One look-up of a check: a pending submission is verified, rejected, or looked for again later; an accepted
 * post is re-checked. Every outcome is a compare-and-set on the check's state and try count, after its effect
 * on the influencer (idempotent), so a crash in between redoes the same effect and nothing is decided twice.
 */
export async function runCheck(s: WorkerServices, ig: InstagramContext, checkId: string): Promise<string> {
  const check = await ig.repos.instagram.check(checkId);
  if (!check || !check.nextAt) return 'nothing due';
  if (check.state === 'verified') return recheck(s, ig, check);
  if (check.state !== 'pending') return check.state;
  const from = { state: check.state, tries: check.tries };
  const connected = await connectedAccount(ig, check.brandId);
  const campaign = await s.campaigns.get(check.campaignId);
  const requirements = campaign?.requirements ?? { hashtags: [], mentions: [] };
  if (!connected) {
    // Disconnected while the post waited: today's rule (the typed caption) decides, and says it is unverified.
    const verdict = verifyCaption(check.typedCaption, requirements);
    await decide(s, ig, check, verdict, null);
    return 'decided without Instagram';
  }
  let found: FoundPost | null;
  try {
    found = await findPost(
      ig,
      { igUserId: connected.account.igUserId, token: connected.token },
      check.handle,
      check.shortcode,
    );
  } catch (err) {
    if (!passing(err)) throw err;
    // Throttled or Meta unavailable: not a try; the check waits (and stays pending) until the limit passes.
    const at = new Date(Date.now() + Math.max(err.retryAfterMs, ig.config.IG_VERIFY_RETRY_SECONDS * 1000));
    if (await ig.repos.instagram.moveCheck(check._id, from, { nextAt: at }, false)) await queueCheck(ig, check._id, at);
    ig.logger.warn({ checkId, err: err.message, retryAt: at.toISOString() }, 'instagram look-up postponed');
    return 'postponed';
  }
  if (!found) {
    if (Date.now() >= new Date(check.verifyUntil).getTime()) {
      const hours = Math.round((ig.config.IG_VERIFY_FOR_SECONDS / 3600) * 10) / 10;
      const reason = `post not found on Instagram within ${hours} h of the submission (tagged media, mentions and the account's own media were searched)`;
      await decide(
        s,
        ig,
        check,
        { accepted: false, reasons: [reason], missingHashtags: [], missingMentions: [] },
        null,
      );
      return 'not found';
    }
    const at = secondsFromNow(ig.config.IG_VERIFY_RETRY_SECONDS);
    await ig.repos.events.insertOne({
      _id: `igcheck-${check._id}-try-${check.tries + 1}`,
      campaignId: check.campaignId,
      influencerId: check.influencerId,
      type: 'verification_retry',
      at: new Date(),
      detail: `post not found on Instagram yet (try ${check.tries + 1}); looking again at ${at.toISOString()}`,
      source: 'instagram verification',
      counter: null,
      data: { submissionId: check._id, try: check.tries + 1 },
    });
    if (await ig.repos.instagram.moveCheck(check._id, from, { nextAt: at })) await queueCheck(ig, check._id, at);
    return 'not found yet';
  }
  const judged = judgeMedia(found.media, check.handle, requirements);
  const verdict: Verdict = {
    accepted: judged.outcome === 'verified',
    reasons: judged.reasons,
    missingHashtags: [],
    missingMentions: [],
  };
  await decide(s, ig, check, verdict, found);
  return judged.outcome;
}

async function decide(
  s: WorkerServices,
  ig: InstagramContext,
  check: InstagramCheckDoc,
  verdict: Verdict,
  found: FoundPost | null,
): Promise<void> {
  const media = found
    ? {
        id: found.media.id,
        permalink: found.media.permalink ?? check.postUrl,
        username: found.media.username ?? '',
        foundVia: found.via,
      }
    : null;
  await recordVerdict(
    s,
    {
      eventId: check._id,
      campaignId: check.campaignId,
      influencerId: check.influencerId,
      postUrl: check.postUrl,
      caption: check.typedCaption ?? undefined,
      at: new Date(check.submittedAt).toISOString(),
    },
    verdict,
    check.postUrl,
    {
      verification: found && verdict.accepted ? 'verified' : null,
      media,
      source: check.source,
      sourceLabel: found ? `instagram verification (${found.via}, media ${found.media.id})` : 'instagram verification',
      // Decided now, maybe long after the submission: `done` (and the review stage) start now, not back then.
      decidedAt: new Date(),
    },
  );
  const now = Date.now();
  const verified = verdict.accepted && found !== null;
  const nextAt = verified ? secondsFromNow(ig.config.IG_RECHECK_INTERVAL_SECONDS, now) : null;
  const moved = await ig.repos.instagram.moveCheck(
    check._id,
    { state: 'pending', tries: check.tries },
    {
      state: verified ? 'verified' : 'rejected',
      decidedAt: new Date(now),
      nextAt,
      recheckUntil: verified ? secondsFromNow(ig.config.IG_RECHECK_FOR_SECONDS, now) : null,
      mediaId: media?.id ?? null,
      permalink: media?.permalink ?? null,
      foundVia: found?.via ?? null,
    },
  );
  if (moved && nextAt) await queueCheck(ig, check._id, nextAt);
}
