import type { InstagramCheckDoc } from '@seedline/db';
import { markPostRemoved } from '@seedline/db';
import { GraphError } from '@seedline/runtime';
import type { WorkerServices } from '../services.js';
import { connectedAccount, queueCheck, secondsFromNow, type InstagramContext } from './context.js';
import { findPost, passing } from './post-finder.js';

/**
 * Re-reads an accepted post until `recheckUntil`. Gone (every read answered and none found it, or Meta says the
 * mentioned media does not exist) → `removed` with the date; the status stays `done`.
 */
export async function recheck(s: WorkerServices, ig: InstagramContext, check: InstagramCheckDoc): Promise<string> {
  const from = { state: check.state, tries: check.tries };
  const connected = await connectedAccount(ig, check.brandId);
  if (!connected || (check.recheckUntil && Date.now() >= new Date(check.recheckUntil).getTime())) {
    await ig.repos.instagram.moveCheck(check._id, from, { nextAt: null }, false);
    return 'recheck over';
  }
  const a = { igUserId: connected.account.igUserId, token: connected.token };
  let present: boolean;
  try {
    if (check.foundVia === 'mentions' && check.mediaId) {
      present = await ig.graph.mentionedMedia(a.igUserId, a.token, check.mediaId).then(
        () => true,
        (err: unknown) => {
          if (err instanceof GraphError && err.missing) return false;
          throw err;
        },
      );
    } else {
      present = (await findPost(ig, a, check.handle, check.shortcode, { fresh: true })) !== null;
    }
  } catch (err) {
    if (!passing(err)) throw err;
    const at = new Date(Date.now() + Math.max(err.retryAfterMs, ig.config.IG_VERIFY_RETRY_SECONDS * 1000));
    if (await ig.repos.instagram.moveCheck(check._id, from, { nextAt: at }, false)) await queueCheck(ig, check._id, at);
    ig.logger.warn({ checkId: check._id, err: err.message, retryAt: at.toISOString() }, 'instagram look-up postponed');
    return 'postponed';
  }
  if (present) {
    const at = secondsFromNow(ig.config.IG_RECHECK_INTERVAL_SECONDS);
    if (await ig.repos.instagram.moveCheck(check._id, from, { nextAt: at })) await queueCheck(ig, check._id, at);
    return 'still there';
  }
  const removedAt = new Date();
  await markPostRemoved(ig.repos.conn, ig.repos.events, {
    checkId: check._id,
    campaignId: check.campaignId,
    influencerId: check.influencerId,
    submissionId: check._id,
    postUrl: check.postUrl,
    at: removedAt,
  });
  // An unpaid reimbursement (approved included: its payout has not left) waits for the brand to decide again;
  // one already sending or paid is past stopping.
  const held = await ig.repos.reimbursements.transition(check.influencerId, {
    from: ['awaiting_proof', 'pending_review', 'approved'],
    to: 'held',
    source: 'instagram re-check',
    reason: 'post_removed',
    note: 'post removed from Instagram',
  });
  if (held.ok) await s.money.after([held.entry]);
  await ig.repos.instagram.moveCheck(check._id, from, { state: 'removed', removedAt, nextAt: null });
  return 'removed';
}
