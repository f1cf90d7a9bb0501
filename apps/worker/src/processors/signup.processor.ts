import { signedUpDraft, signupsOf, type WebhookEventDraft } from '@seedline/domain';
import type { Handler } from './processor.js';
import type { WorkerServices } from '../services.js';

/**
 * A job carries one sign-up or a batch of them (those the ingest accepted together); each step below is done
 * for the whole job at once. Every step is idempotent, so a redelivered or retried job changes nothing twice.
 */
export const signupProcessor =
  (s: WorkerServices): Handler<'signups'> =>
  async (payload) => {
    const signups = signupsOf(payload);
    // Concurrent jobs share one write (and publish their status changes with it).
    await s.applySignups(signups);
    await s.reminders.enterStages(
      signups.map((j) => ({
        campaignId: j.campaignId,
        influencerId: j.influencerId,
        stage: 'purchase' as const,
        enteredAt: new Date(j.at),
      })),
    );
    // Once stored: one webhook per influencer (a repeated sign-up of the handle is the same fact).
    const drafts: WebhookEventDraft[] = [];
    for (const j of signups) {
      const brandId = await s.webhooks.emitter.brandWithEndpoints(j.campaignId);
      if (!brandId) continue;
      drafts.push(
        signedUpDraft({
          brandId,
          campaignId: j.campaignId,
          influencerId: j.influencerId,
          instagramHandle: j.instagramHandle,
          signedUpAt: new Date(j.at),
        }),
      );
    }
    await s.webhooks.emitter.emit(drafts);
    return { applied: signups.length };
  };
