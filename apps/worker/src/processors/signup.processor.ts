import type { Handler } from './processor.js';
import type { WorkerServices } from '../services.js';

export const signupProcessor =
  (s: WorkerServices): Handler<'signups'> =>
  async (job) => {
    // Concurrent sign-ups share one write (and publish their status changes with it).
    await s.applySignup(job);
    await s.reminders.enterStage(job.campaignId, job.influencerId, 'purchase', new Date(job.at));
    return { applied: true };
  };
