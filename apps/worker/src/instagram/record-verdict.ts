import type { SubmissionExtras } from '@seedline/db';
import { submissionRejectedDraft, type SubmissionJob, type Verdict } from '@seedline/domain';
import type { WorkerServices } from '../services.js';

/**
 * Records a verdict on a submission (idempotent) and its follow-ups: live stream, review reminders, for a
 * post Instagram verified, the reimbursement that becomes due with `done` (the form's path does that itself),
 * and for a rejection, the brand's `submission.rejected` webhook (once per submission: its id is the event's).
 */
export async function recordVerdict(
  s: WorkerServices,
  job: SubmissionJob,
  verdict: Verdict,
  postUrl: string,
  extras: SubmissionExtras = {},
): Promise<void> {
  const changes = await s.repos.influencers.applySubmission(job, verdict, postUrl, extras);
  await s.afterChanges(changes);
  if (!verdict.accepted && !extras.pending) {
    await s.webhooks.emitter.forCampaign(job.campaignId, async (brandId) =>
      submissionRejectedDraft({
        brandId,
        campaignId: job.campaignId,
        influencerId: job.influencerId,
        instagramHandle: (await s.repos.influencers.findById(job.influencerId))?.instagramHandle ?? null,
        submissionId: job.eventId,
        postUrl,
        reasons: verdict.reasons,
        at: new Date(job.at),
      }),
    );
  }
  if (verdict.accepted && !extras.pending) {
    // A move to `done` made now entered the review stage in afterChanges; one applied by an earlier, interrupted
    // delivery of this job is found by a read (only then: a read per submission is CPU in the database, issue 24).
    const movedNow = changes.some((c) => c.influencerId === job.influencerId && c.to === 'done');
    const influencer = movedNow ? null : await s.repos.influencers.findById(job.influencerId);
    if (influencer?.status === 'done' && influencer.doneAt) {
      await s.reminders.enterStage(job.campaignId, job.influencerId, 'review', new Date(influencer.doneAt));
      // That delivery may have died before announcing the move too (live stream, webhooks): the repeat does.
      await s.announceRecorded([job.influencerId], [`submission ${job.eventId}`]);
    }
    if (extras.verification === 'verified')
      await s.money.after(await s.repos.dueReimbursements.refresh(job.campaignId, job.influencerId));
  }
}
