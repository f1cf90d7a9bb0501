import { buildInfluencerLinks, deferForQuietHours, reminderDueAt, STATUS_RANK } from '@seedline/domain';
import type { CampaignCache, ReminderDoc, Repositories } from '@seedline/db';
import type { Logger } from 'pino';
import type { WorkerConfig } from '../config.js';
import type { RedisLocks } from '../locks/redis-locks.js';
import { deliverReminder } from './webhook.js';

export type SendOutcome = 'sent' | 'cancelled' | 'postponed' | 'already-final';

type FinalState = 'sent' | 'cancelled' | 'failed';
const TIMELINE_TYPE = { sent: 'reminder_sent', cancelled: 'reminder_skipped', failed: 'reminder_failed' } as const;

/**
 * Sends one due reminder, holding the reminder's lock so that no two deliveries of it overlap. Everything is
 * re-checked right before sending, so a reminder never reaches an influencer who has moved on. A failed
 * delivery throws and BullMQ retries it with jittered backoff; the webhook `id` stays the same across retries
 * so a receiver can drop a repeat. The reminder is marked sent right after the receiver's 2xx, before
 * anything else: only a crash between those two steps can make a reminder go out twice.
 */
export class ReminderSender {
  constructor(
    private readonly repos: Repositories,
    private readonly campaigns: CampaignCache,
    private readonly config: Pick<WorkerConfig, 'REMINDER_WEBHOOK_URL' | 'WEBHOOK_SECRET' | 'LINK_SECRET' | 'PUBLIC_INGEST_URL' | 'WEBHOOK_TIMEOUT_MS'>,
    private readonly logger: Logger,
    private readonly locks: { reminders: RedisLocks },
  ) {}

  /** `delivery` is the 1-based delivery attempt (the job's attempt), recorded with the outcome. */
  async send(reminderId: string, delivery = 1, now = new Date()): Promise<SendOutcome> {
    return this.locks.reminders.withLocks([reminderId], () => this.sendHeld(reminderId, delivery, now));
  }

  /** Called when the last delivery attempt failed. */
  async giveUp(reminderId: string, reason: string): Promise<void> {
    await this.locks.reminders.withLocks([reminderId], async () => {
      const reminder = await this.repos.reminders.findById(reminderId);
      if (reminder?.state === 'pending') await this.finish(reminder, 'failed', `delivery failed for good: ${reason}`, new Date());
    });
  }

  private async sendHeld(reminderId: string, delivery: number, now: Date): Promise<SendOutcome> {
    const reminder = await this.repos.reminders.findById(reminderId);
    if (!reminder) return 'already-final';
    if (reminder.state === 'sent') {
      // An earlier delivery was interrupted after the webhook answered: finish what it left undone.
      await this.afterSent(reminder, new Date(reminder.sentAt ?? now));
      return 'already-final';
    }
    if (reminder.state !== 'pending') return 'already-final';
    const [influencer, campaign] = await Promise.all([
      this.repos.influencers.findById(reminder.influencerId),
      this.campaigns.get(reminder.campaignId),
    ]);
    const waitingRank = reminder.stage === 'purchase' ? STATUS_RANK.signed_up : STATUS_RANK.done;
    if (!influencer || !campaign || influencer.statusRank !== waitingRank || campaign.state !== 'active') {
      const why = !campaign || campaign.state !== 'active' ? 'campaign is not active' : `influencer is ${influencer?.status ?? 'gone'}`;
      await this.finish(reminder, 'cancelled', `not sent: ${why}`, now);
      return 'cancelled';
    }
    const sendAt = deferForQuietHours(now, influencer.timezone);
    if (sendAt.getTime() > now.getTime()) {
      await this.repos.reminders.postpone(reminder._id, sendAt);
      this.logger.info({ reminderId: reminder._id, until: sendAt.toISOString() }, 'reminder deferred past quiet hours');
      return 'postponed';
    }
    const url = this.config.REMINDER_WEBHOOK_URL;
    if (!url) throw new Error('REMINDER_WEBHOOK_URL is not set');
    let status: number;
    try {
      status = await deliverReminder(
        url,
        {
          id: reminder._id,
          type: reminder.stage === 'purchase' ? 'purchase_reminder' : 'review_reminder',
          attempt: reminder.attempt,
          campaignId: reminder.campaignId,
          influencerId: reminder.influencerId,
          instagramHandle: influencer.instagramHandle,
          email: influencer.email,
          links: buildInfluencerLinks(this.config.PUBLIC_INGEST_URL, reminder.campaignId, reminder.influencerId, this.config.LINK_SECRET),
        },
        this.config.WEBHOOK_SECRET,
        this.config.WEBHOOK_TIMEOUT_MS,
      );
    } catch (err) {
      await this.repos.reminders.recordFailure(reminder._id, delivery, (err as Error).message);
      throw err;
    }
    const outcome = `delivered (HTTP ${status}) on delivery attempt ${delivery}`;
    await this.repos.reminders.finish(reminder._id, 'sent', outcome, now);
    await this.afterSent({ ...reminder, state: 'sent', outcome, sentAt: now }, now);
    return 'sent';
  }

  /** Timeline entry, counter and the next reminder of the stage; each step can be repeated safely. */
  private async afterSent(reminder: ReminderDoc, sentAt: Date): Promise<void> {
    await this.record(reminder, 'sent', reminder.outcome ?? 'delivered', sentAt);
    // A recount with `$max`: exact however many deliveries or other writers do it at once.
    await this.repos.influencers.recount(reminder.influencerId, 'remindersSent');
    const campaign = await this.campaigns.get(reminder.campaignId);
    const next = campaign && reminderDueAt(campaign.reminders[reminder.stage], reminder.attempt + 1, sentAt);
    if (next) {
      await this.repos.reminders.schedule({
        campaignId: reminder.campaignId,
        influencerId: reminder.influencerId,
        stage: reminder.stage,
        attempt: reminder.attempt + 1,
        dueAt: next,
      });
    }
    this.logger.info({ reminderId: reminder._id, state: 'sent' }, 'reminder finished');
  }

  /** Cancelled or failed: the timeline entry first (its id is fixed), then the state. */
  private async finish(reminder: ReminderDoc, state: Exclude<FinalState, 'sent'>, outcome: string, at: Date): Promise<void> {
    await this.record(reminder, state, outcome, at);
    await this.repos.reminders.finish(reminder._id, state, outcome, null);
    this.logger.info({ reminderId: reminder._id, state }, 'reminder finished');
  }

  private async record(reminder: ReminderDoc, state: FinalState, outcome: string, at: Date): Promise<void> {
    await this.repos.events.insertOne({
      _id: `reminder-${reminder._id}`,
      campaignId: reminder.campaignId,
      influencerId: reminder.influencerId,
      type: TIMELINE_TYPE[state],
      at,
      detail: `${reminder.stage} reminder #${reminder.attempt}: ${outcome}`,
      source: `reminder scheduler (reminder ${reminder._id})`,
      counter: state === 'sent' ? 'remindersSent' : null,
      data: { reminderId: reminder._id, stage: reminder.stage, attempt: reminder.attempt },
    });
  }
}
