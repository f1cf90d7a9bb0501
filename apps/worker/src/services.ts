import type { CampaignCache, ClickBatchOutcome, Repositories, StatusChange } from '@seedline/db';
import type { ClickEvent } from '@seedline/domain';
import type { Queues } from '@seedline/runtime';
import type { Logger } from 'pino';
import { WriteBatcher } from './batching/write-batcher.js';
import type { WorkerConfig } from './config.js';
import type { LivePublisher } from './live/live-publisher.js';
import type { InfluencerLocks, RedisLocks } from './locks/influencer-locks.js';
import { ReminderPlanner } from './reminders/reminder-planner.js';
import { ReminderSender } from './reminders/reminder-sender.js';

export interface WorkerServices {
  repos: Repositories;
  campaigns: CampaignCache;
  queues: Queues;
  /** every write to an influencer document runs inside its lock (see InfluencerLocks) */
  locks: InfluencerLocks;
  reminders: ReminderPlanner;
  sender: ReminderSender;
  applyClicks: (events: ClickEvent[]) => Promise<ClickBatchOutcome>;
  /** Follow-ups of status changes: the review-stage reminder and the live stream. */
  afterChanges: (changes: StatusChange[]) => Promise<void>;
}

export function createServices(deps: {
  repos: Repositories;
  campaigns: CampaignCache;
  queues: Queues;
  live: LivePublisher;
  locks: InfluencerLocks;
  reminderLocks: RedisLocks;
  config: WorkerConfig;
  logger: Logger;
}): WorkerServices {
  const { repos, campaigns, live, locks, config, logger } = deps;
  const reminders = new ReminderPlanner(repos, campaigns);
  const afterChanges = async (changes: StatusChange[]) => {
    if (changes.length === 0) return;
    await reminders.afterChanges(changes);
    await live.publish(changes);
  };
  const write = async (events: ClickEvent[]): Promise<ClickBatchOutcome> => {
    const byInfluencer = new Map<string, ClickEvent[]>();
    for (const e of events) {
      const list = byInfluencer.get(e.influencerId);
      if (list) list.push(e);
      else byInfluencer.set(e.influencerId, [e]);
    }
    const total: ClickBatchOutcome = { applied: 0, duplicates: 0, changes: [] };
    // Influencers another batch is writing are done in a later round, once it lets go of them.
    await locks.forEachLocked([...byInfluencer.keys()], async (held) => {
      const outcome = await repos.influencers.applyClicks(held.flatMap((id) => byInfluencer.get(id) ?? []));
      total.applied += outcome.applied;
      total.duplicates += outcome.duplicates;
      total.changes.push(...outcome.changes);
    });
    await afterChanges(total.changes);
    return total;
  };
  const batcher = new WriteBatcher(write, { maxItems: config.CLICK_BATCH_MAX, maxInFlight: 2 });
  return {
    repos,
    campaigns,
    queues: deps.queues,
    locks,
    reminders,
    sender: new ReminderSender(repos, campaigns, config, logger, { influencers: locks, reminders: deps.reminderLocks }),
    applyClicks: config.CLICK_BATCHING === 'on' ? (events) => batcher.add(events) : write,
    afterChanges,
  };
}
