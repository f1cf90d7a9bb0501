import type { Handler } from './processor.js';
import type { WorkerServices } from '../services.js';
import { readMention, readTags, renewToken } from '../instagram/account-tasks.js';
import { runCheck } from '../instagram/run-check.js';

/** Graph API look-ups, one task per job; the durable state is in the database (see instagramJob). */
export const instagramProcessor =
  (s: WorkerServices): Handler<'instagram'> =>
  async (job) => {
    const ig = s.instagram;
    if (!ig) return { skipped: 'INSTAGRAM_GRAPH_URL, INSTAGRAM_APP_ID or INSTAGRAM_APP_SECRET is not set' };
    switch (job.task) {
      case 'check':
        return { outcome: await runCheck(s, ig, job.checkId) };
      case 'mention':
        return { outcome: await readMention(s, ig, job.mentionId) };
      case 'tags':
        return { outcome: await readTags(s, ig, job.brandId) };
      case 'renew':
        return { outcome: await renewToken(ig, job.brandId) };
    }
  };
