import type { Handler } from './processor.js';
import type { WorkerServices } from '../services.js';

export const signupProcessor =
  (s: WorkerServices): Handler<'signups'> =>
  async (job) => {
    const changes = await s.repos.influencers.applySignup(job);
    await s.reminders.enterStage(job.campaignId, job.influencerId, 'purchase', new Date(job.at));
    await s.afterChanges(changes);
    return { changes: changes.length };
  };
