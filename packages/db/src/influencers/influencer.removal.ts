import type { Connection } from 'mongoose';
import type { EventRepository } from '../events/event.repository.js';
import { influencerModel } from './influencer.schema.js';

/**
 * Marks a verified post as removed from Instagram: a timeline entry (once: its id is the check's) and the
 * shown submission's `removedAt`, only while that submission is still the one shown. The status stays.
 */
export async function markPostRemoved(
  conn: Connection,
  events: EventRepository,
  p: { checkId: string; campaignId: string; influencerId: string; submissionId: string; postUrl: string; at: Date },
): Promise<void> {
  await events.insertOne({
    _id: `post-removed-${p.checkId}`,
    campaignId: p.campaignId,
    influencerId: p.influencerId,
    type: 'post_removed',
    at: p.at,
    detail: `post removed from Instagram: ${p.postUrl} (found gone on ${p.at.toISOString()})`,
    source: 'instagram re-check',
    counter: null,
    data: { submissionId: p.submissionId, postUrl: p.postUrl },
  });
  await influencerModel(conn).collection.updateOne(
    { _id: p.influencerId as never, 'submission.id': p.submissionId, 'submission.removedAt': { $exists: false } },
    { $set: { 'submission.removedAt': p.at, 'submission.verification': 'removed' } },
  );
}
