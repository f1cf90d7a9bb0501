import { signedUpDraft } from '@seedline/domain';
import type { Handler } from './processor.js';
import type { WorkerServices } from '../services.js';

export const signupProcessor =
  (s: WorkerServices): Handler<'signups'> =>
  async (job) => {
    // Concurrent sign-ups share one write (and publish their status changes with it).
    await s.applySignup(job);
    await s.reminders.enterStage(job.campaignId, job.influencerId, 'purchase', new Date(job.at));
    // Once stored: one webhook per influencer (a repeated sign-up of the handle is the same fact).
    await s.webhooks.emitter.forCampaign(job.campaignId, (brandId) =>
      signedUpDraft({
        brandId,
        campaignId: job.campaignId,
        influencerId: job.influencerId,
        instagramHandle: job.instagramHandle,
        signedUpAt: new Date(job.at),
      }),
    );
    return { applied: true };
  };
