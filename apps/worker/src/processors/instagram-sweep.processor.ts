import { jobIdFor, JOB_CATALOGUE } from '@seedline/domain';
import type { Handler } from './processor.js';
import type { WorkerServices } from '../services.js';
import { queueCheck } from '../instagram/context.js';

/**
 * Queues what is due: checks (tries and re-checks), mentions stored but not read, each account's tagged-media
 * read and token renewal. Job ids name the item and its due time (or period), so sweeps never double a job,
 * and anything whose job was lost is queued again here.
 */
export const instagramSweepProcessor =
  (s: WorkerServices): Handler<'instagram-sweep'> =>
  async () => {
    const ig = s.instagram;
    if (!ig) return { skipped: true };
    const now = new Date();
    const checks = await ig.repos.instagram.dueChecks(now, 1000);
    const round = Math.floor(now.getTime() / 120_000);
    for (const c of checks) {
      if (!c.nextAt) continue;
      const at = new Date(c.nextAt);
      // Overdue by more than two minutes: its job is gone or failed for good; a new one, once per two minutes.
      await queueCheck(ig, c._id, at, now.getTime() - at.getTime() > 120_000 ? round : undefined);
    }
    const mentions = await ig.repos.instagram.unreadMentions(new Date(now.getTime() - 30_000), 1000);
    const options = JOB_CATALOGUE.instagram.options;
    const period = Math.floor(now.getTime() / (ig.config.IG_TAGS_READ_SECONDS * 1000));
    const renewSlot = Math.floor(now.getTime() / (ig.config.IG_SWEEP_SECONDS * 1000));
    const renewBefore = now.getTime() + ig.config.IG_TOKEN_RENEW_BEFORE_SECONDS * 1000;
    const accounts = await ig.repos.instagram.allAccounts();
    await ig.queues.instagram.addBulk([
      ...mentions.map((m) => ({
        name: 'instagram',
        data: { task: 'mention', mentionId: m._id },
        opts: { ...options, jobId: jobIdFor('igm', `${m._id}-${renewSlot}`) } as never,
      })),
      ...accounts.map((a) => ({
        name: 'instagram',
        data: { task: 'tags', brandId: a._id },
        opts: { ...options, jobId: jobIdFor('igt', `${a._id}-${period}`) } as never,
      })),
      ...accounts
        .filter((a) => a.tokenExpiresAt && new Date(a.tokenExpiresAt).getTime() < renewBefore)
        .map((a) => ({
          name: 'instagram',
          data: { task: 'renew', brandId: a._id },
          opts: { ...options, jobId: jobIdFor('igr', `${a._id}-${renewSlot}`) } as never,
        })),
    ]);
    return { checks: checks.length, mentions: mentions.length, accounts: accounts.length };
  };
