import {
  statusSourceOf,
  type CampaignCache,
  type ClickBatchOutcome,
  type Repositories,
  type StatusChange,
  type WebhookRepositories,
} from '@seedline/db';
import { jobIdFor, JOB_CATALOGUE, STATUS_RANK } from '@seedline/domain';
import type { ClickEvent, NoticeEmail, ReminderChannelName, SignupJob } from '@seedline/domain';
import type { Logger } from 'pino';
import { WriteBatcher, type Queues } from '@seedline/runtime';
import type { WorkerConfig } from './config.js';
import type { LivePublisher } from './live/live-publisher.js';
import type { RedisLocks } from './locks/redis-locks.js';
import type { ReminderChannel } from './reminders/channels/channel.js';
import { ReminderPlanner } from './reminders/reminder-planner.js';
import { ReminderSender } from './reminders/reminder-sender.js';
import { reminderAnnouncer } from './reminders/reminder-webhooks.js';
import { moneyFollowUps, type MoneyFollowUps } from './money/follow-ups.js';
import { clickRepricing } from './money/repricing.js';
import type { InstagramContext } from './instagram/context.js';
import type { WebhookDeliverer } from './webhooks/deliverer.js';
import type { FanOutBatcher } from './webhooks/fanout.js';
import type { WebhookEmitter } from './webhooks/emitter.js';
import type { KeyOrder } from './webhooks/key-order.js';
import type { FundsPause } from './payouts/funds-pause.js';
import { PayoutRunner } from './payouts/payout-runner.js';
import type { PayoutProvider } from './payouts/provider.js';

/** How long a webhook job waits for the status writes to pause: webhooks lag behind a saturated pipeline, never stop. */
const STATUS_FIRST_MAX_WAIT_MS = 1000;

/** Brand webhooks: where events become them, the fan-out and its numbering, and the deliverer. */
export interface WebhookServices {
  emitter: WebhookEmitter;
  deliverer: WebhookDeliverer;
  /** the webhooks' own connection (WEBHOOK_DB_POOL_SIZE) */
  repos: WebhookRepositories;
  numbering: KeyOrder;
  fanOut: FanOutBatcher;
}

export interface WorkerServices {
  repos: Repositories;
  campaigns: CampaignCache;
  queues: Queues;
  logger: Logger;
  reminders: ReminderPlanner;
  sender: ReminderSender;
  applyClicks: (events: ClickEvent[]) => Promise<ClickBatchOutcome>;
  /** resolves once the sign-ups (batched with those of concurrent jobs) are stored and their changes published */
  applySignups: (jobs: SignupJob[]) => Promise<void>;
  /** Follow-ups of status changes: the review-stage reminder and the live stream. */
  afterChanges: (changes: StatusChange[]) => Promise<void>;
  /** recorded moves of these influencers (but `announced`) announced again where missing: a repeat's duty */
  announceRecorded: (influencerIds: string[], causes: string[], announced?: StatusChange[]) => Promise<void>;
  /**
   * Resolves when this process has no click or sign-up write running or waiting, or after at most
   * STATUS_FIRST_MAX_WAIT_MS: brand webhooks' work waits for it, so on a busy machine their fan-out and attempts
   * mostly take the CPU and database time status updates leave, and still go on under a sustained load.
   */
  statusFirst: () => Promise<void>;
  /** payouts and emails queued after reimbursement moves */
  money: MoneyFollowUps;
  /** the reminder email channel's transport, for reimbursement emails */
  noticeMailer: NoticeMailer;
  config: WorkerConfig;
  /** Graph API access; null when INSTAGRAM_GRAPH_URL (or the app's id or secret) is not set */
  instagram: InstagramContext | null;
  webhooks: WebhookServices;
  /** the payout protocol and the operator's provider */
  payouts: { runner: PayoutRunner; provider: PayoutProvider };
}

export interface NoticeMailer {
  send(email: NoticeEmail): Promise<string>;
}

/** How recent a move must be to be announced again by a repeated click (see reannounce). */
const REANNOUNCE_WITHIN_MS = 60 * 60 * 1000;

export function createServices(deps: {
  repos: Repositories;
  campaigns: CampaignCache;
  queues: Queues;
  live: LivePublisher;
  reminderLocks: RedisLocks;
  /** how reminders leave: email and webhook */
  channels: Record<ReminderChannelName, ReminderChannel>;
  noticeMailer: NoticeMailer;
  payoutProvider: PayoutProvider;
  fundsPause: FundsPause;
  config: WorkerConfig;
  logger: Logger;
  instagram?: Omit<InstagramContext, 'repos' | 'queues' | 'config' | 'logger'> | null;
  webhooks: WebhookServices;
}): WorkerServices {
  const { repos, campaigns, live, config, logger } = deps;
  const reminders = new ReminderPlanner(repos, campaigns);
  const money = moneyFollowUps(repos, deps.queues);
  const afterChanges = async (changes: StatusChange[], rebuilt = false) => {
    if (changes.length === 0) return;
    await reminders.afterChanges(changes);
    await queueDueReimbursements(changes);
    // Rebuilt changes may have been published before the crash: only those the stream lacks go out.
    if (rebuilt) await live.publishMissing(changes);
    else await live.publish(changes);
    // After the live stream: a brand's webhooks never delay what its dashboard sees. Their ids are fixed per
    // influencer and status, so a rebuilt change already fanned out is found, not sent twice.
    await deps.webhooks.emitter.statusChanges(changes);
  };
  /**
   * A repeated click or submission (a job redelivered after a worker died) moves no status: the first run did.
   * Its moves are rebuilt from their entries and announced again where they are missing: every step is
   * idempotent.
   */
  const announceRecorded = async (influencerIds: string[], causes: string[], announced: StatusChange[] = []) => {
    if (influencerIds.length === 0) return;
    const fresh = new Set(announced.map((c) => `${c.influencerId} ${c.to}`));
    // Only moves the repeated job itself made: a second submission or an old click re-sent announces nothing.
    const madeByIt = new Set(causes.map((c) => statusSourceOf(c)));
    // A redelivery comes within minutes of its first run; a tracker re-sending old clicks must not make every
    // old move of its influencers a candidate (each costs a look back in the live stream).
    const since = Date.now() - REANNOUNCE_WITHIN_MS;
    const rebuilt = (await repos.influencers.recordedChanges(influencerIds)).filter(
      (c) => madeByIt.has(c.source ?? '') && !fresh.has(`${c.influencerId} ${c.to}`) && c.at.getTime() >= since,
    );
    await afterChanges(rebuilt, true);
  };
  /** An influencer reaching `done` may make its reimbursement due: looked at in its own job, once per move. */
  const queueDueReimbursements = async (changes: StatusChange[]) => {
    for (const c of changes) {
      if (STATUS_RANK[c.from] >= STATUS_RANK.done || STATUS_RANK[c.to] < STATUS_RANK.done) continue;
      if (!(await campaigns.get(c.campaignId))?.reimbursement) continue;
      await deps.queues.reimbursements.add(
        'reimbursements',
        { campaignId: c.campaignId, influencerId: c.influencerId },
        { ...JOB_CATALOGUE.reimbursements.options, jobId: jobIdFor('due', c.influencerId) },
      );
    }
  };
  // Updates are atomic per document and every write is a $max, $min or compare-and-set: batches need no
  // locks, whichever influencers they share with other batches or other worker processes.
  const reprice = clickRepricing(repos, campaigns, deps.queues);
  const write = async (events: ClickEvent[]): Promise<ClickBatchOutcome> => {
    const outcome = await repos.influencers.applyClicks(events);
    await afterChanges(outcome.changes);
    await announceRecorded(outcome.repeated, outcome.repeatedCauses, outcome.changes);
    await reprice(events);
    return outcome;
  };
  const batcher = new WriteBatcher(write, { maxItems: config.CLICK_BATCH_MAX, maxInFlight: 2 });
  const signups = new WriteBatcher(
    async (jobs: SignupJob[]) => {
      await afterChanges(await repos.influencers.applySignups(jobs));
      // A proof processed before its sign-up made a reimbursement without a handle: the sign-up brings it.
      const reimbursing = [];
      for (const j of jobs) if ((await campaigns.get(j.campaignId))?.reimbursement) reimbursing.push(j);
      await repos.reimbursements.fillHandles(reimbursing);
      // A new influencer moves the summary (total, signed_up) without a status change of its own.
      await live.summaryMoved(jobs.map((j) => j.campaignId));
    },
    { maxItems: 500, maxInFlight: 2 },
  );
  return {
    repos,
    campaigns,
    queues: deps.queues,
    logger,
    reminders,
    sender: new ReminderSender(
      repos,
      campaigns,
      config,
      logger,
      { reminders: deps.reminderLocks },
      deps.channels,
      reminderAnnouncer(deps.webhooks.emitter, repos),
    ),
    applyClicks: config.CLICK_BATCHING === 'on' ? (events) => batcher.add(events) : write,
    applySignups: (jobs) => signups.add(jobs),
    afterChanges: (changes) => afterChanges(changes),
    announceRecorded,
    statusFirst: async () => {
      const until = Date.now() + STATUS_FIRST_MAX_WAIT_MS;
      await batcher.idle(STATUS_FIRST_MAX_WAIT_MS);
      await signups.idle(until - Date.now());
    },
    money,
    noticeMailer: deps.noticeMailer,
    config,
    instagram: deps.instagram ? { ...deps.instagram, repos, queues: deps.queues, config, logger } : null,
    webhooks: deps.webhooks,
    payouts: {
      provider: deps.payoutProvider,
      runner: new PayoutRunner({
        repos,
        provider: deps.payoutProvider,
        brandProvider: async (brandId) => (await repos.brands.findById(brandId))?.payoutProvider,
        dataKey: config.DATA_KEY,
        pause: deps.fundsPause,
        logger,
        followUps: money.after,
      }),
    },
  };
}
