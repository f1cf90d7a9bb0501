import { buildInfluencerLinks, deferForQuietHours, reminderDueAt, STATUS_RANK } from '@seedline/domain';
import type { CampaignCache, ReminderDoc, Repositories } from '@seedline/db';
import type { Logger } from 'pino';
import type { WorkerConfig } from '../config.js';
import type { InfluencerLocks } from '../locks/influencer-locks.js';
import { deliverReminder } from './webhook.js';

export type SendOutcome = 'sent' | 'cancelled' | 'postponed' | 'already-final';

/**
 * Sends one due reminder. Everything is re-checked right before sending, so a reminder never reaches an
 * influencer who has moved on. A failed delivery throws and BullMQ retries it with jittered backoff; the
 * webhook `id` stays the same across retries so a receiver can drop a repeat.
 */
export class ReminderSender {
  constructor(
    private readonly repos: Repositories,
    private readonly campaigns: CampaignCache,
    private readonly config: Pick<WorkerConfig, 'REMINDER_WEBHOOK_URL' | 'WEBHOOK_SECRET' | 'LINK_SECRET' | 'PUBLIC_INGEST_URL' | 'WEBHOOK_TIMEOUT_MS'>,
    private readonly logger: Logger,
    private readonly locks: InfluencerLocks,
  ) {}

  async send(reminderId: string, now = new Date()): Promise<SendOutcome> {
    const reminder = await this.repos.reminders.findById(reminderId);
    if (!reminder || reminder.state !== 'pending') return 'already-final';
    const [influencer, campaign] = await Promise.all([
      this.repos.influencers.findById(reminder.influencerId),
      this.campaigns.get(reminder.campaignId),
    ]);
    const waitingRank = reminder.stage === 'purchase' ? STATUS_RANK.signed_up : STATUS_RANK.done;
    if (!influencer || !campaign || influencer.statusRank !== waitingRank || campaign.state !== 'active') {
      const why = !campaign || campaign.state !== 'active' ? 'campaign is not active' : `influencer is ${influencer?.status ?? 'gone'}`;
      await this.finish(reminder, 'cancelled', `not sent: ${why}`, null, 'reminder_skipped');
      return 'cancelled';
    }
    const sendAt = deferForQuietHours(now, influencer.timezone);
    if (sendAt.getTime() > now.getTime()) {
      await this.repos.reminders.postpone(reminder._id, sendAt);
      return 'postponed';
    }
    const url = this.config.REMINDER_WEBHOOK_URL;
    if (!url) throw new Error('REMINDER_WEBHOOK_URL is not set');
    const status = await deliverReminder(
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
    await this.finish(reminder, 'sent', `delivered (HTTP ${status})`, now, 'reminder_sent');
    const next = reminderDueAt(campaign.reminders[reminder.stage], reminder.attempt + 1, now);
    if (next) {
      await this.repos.reminders.schedule({
        campaignId: reminder.campaignId,
        influencerId: reminder.influencerId,
        stage: reminder.stage,
        attempt: reminder.attempt + 1,
        dueAt: next,
      });
    }
    return 'sent';
  }

  /** Called when the last delivery attempt failed. */
  async giveUp(reminderId: string, reason: string): Promise<void> {
    const reminder = await this.repos.reminders.findById(reminderId);
    if (reminder?.state === 'pending') await this.finish(reminder, 'failed', `delivery failed: ${reason}`, null, 'reminder_failed');
  }

  private async finish(
    reminder: ReminderDoc,
    state: 'sent' | 'cancelled' | 'failed',
    outcome: string,
    sentAt: Date | null,
    type: 'reminder_sent' | 'reminder_skipped' | 'reminder_failed',
  ): Promise<void> {
    // Timeline first (idempotent id), then the state: a crash in between leaves it pending and retried.
    await this.repos.events.insertOne({
      _id: `reminder-${reminder._id}`,
      campaignId: reminder.campaignId,
      influencerId: reminder.influencerId,
      type,
      at: sentAt ?? new Date(),
      detail: `${reminder.stage} reminder #${reminder.attempt}: ${outcome}`,
      source: 'reminder scheduler',
      counter: state === 'sent' ? 'remindersSent' : null,
      data: { reminderId: reminder._id, stage: reminder.stage, attempt: reminder.attempt },
    });
    await this.repos.reminders.finish(reminder._id, state, outcome, sentAt);
    if (state === 'sent') {
      await this.locks.withLocks([reminder.influencerId], () => this.repos.influencers.recount(reminder.influencerId, 'remindersSent'));
    }
    this.logger.info({ reminderId: reminder._id, state }, 'reminder finished');
  }
}
