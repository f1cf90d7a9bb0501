import {
  buildInfluencerLinks,
  deferForQuietHours,
  LinkKeyring,
  reminderDueAt,
  reminderSettings,
  STATUS_RANK,
  unsubscribeUrl,
  type ReminderChannelName,
} from '@seedline/domain';
import type {
  CampaignCache,
  CampaignTarget,
  ChannelDelivery,
  InfluencerDoc,
  ReminderDoc,
  Repositories,
} from '@seedline/db';
import type { Logger } from 'pino';
import { linkSecretsOf } from '@seedline/runtime';
import type { WorkerConfig } from '../config.js';
import type { RedisLocks } from '../locks/redis-locks.js';
import { planChannels } from './channel-plan.js';
import { DeliveryError, type ReminderChannel, type ReminderDelivery } from './channels/channel.js';
import type { ReminderAnnouncer } from './reminder-webhooks.js';

export type SendOutcome = 'sent' | 'failed' | 'cancelled' | 'postponed' | 'retry-later' | 'already-final';
/** What each channel did in this run: the metrics' labels. */
export type ChannelOutcome = 'sent' | 'failed' | 'skipped' | 'retry';
export interface SendResult {
  outcome: SendOutcome;
  channels: Partial<Record<ReminderChannelName, ChannelOutcome>>;
}

type SenderConfig = Pick<
  WorkerConfig,
  'NODE_ENV' | 'LINK_SECRET' | 'LINK_SECRETS' | 'PUBLIC_INGEST_URL' | 'REMINDER_RETRY_HOURS'
>;
type FinalState = 'sent' | 'cancelled' | 'failed';
const TIMELINE_TYPE = { sent: 'reminder_sent', cancelled: 'reminder_skipped', failed: 'reminder_failed' } as const;
/** After its job's last attempt, a reminder that still cannot leave waits this long (plus jitter) for the next sweep. */
const RETRY_LATER_MS = 5 * 60_000;

/**
 * Sends one due reminder through its campaign's channels, holding the reminder's lock so that no two
 * deliveries of it overlap. The rules live here, once, for every channel: everything is re-checked right
 * before sending (moved on, campaign not active, unsubscribed: not sent), quiet hours defer it, a passing
 * failure (server down, SMTP 4xx) throws so BullMQ retries it with jittered backoff while the reminder stays
 * pending, a permanent one (SMTP 5xx for the mailbox) fails it at once. A channel that already delivered is
 * not asked again on a retry, and the ids (webhook `id`, email `Message-ID`) stay the same across retries, so
 * a receiver can recognise a repeat. The reminder is marked sent right after the channels answered: only a
 * crash between those two steps can make a reminder go out twice.
 */
export class ReminderSender {
  private readonly brandNames = new Map<string, { name: string; at: number }>();
  private readonly links: LinkKeyring;

  constructor(
    private readonly repos: Repositories,
    private readonly campaigns: CampaignCache,
    private readonly config: SenderConfig,
    private readonly logger: Logger,
    private readonly locks: { reminders: RedisLocks },
    private readonly channels: Record<ReminderChannelName, ReminderChannel>,
    /** the brand's webhooks, told of each end as it is recorded */
    private readonly announce: ReminderAnnouncer = () => Promise.resolve(),
  ) {
    this.links = new LinkKeyring(linkSecretsOf(config));
  }

  /** `job.last`: this is the job's last attempt, so a passing failure must not throw (nothing would retry it). */
  async send(reminderId: string, job: { last: boolean } = { last: false }, now = new Date()): Promise<SendResult> {
    return this.locks.reminders.withLocks([reminderId], () => this.sendHeld(reminderId, job.last, now));
  }

  /** Called when a job of the reminder failed for good (an error outside delivery, such as the database). */
  async giveUp(reminderId: string, reason: string): Promise<void> {
    await this.locks.reminders.withLocks([reminderId], async () => {
      const reminder = await this.repos.reminders.findById(reminderId);
      if (reminder?.state === 'pending') await this.retryLater(reminder, reason, new Date());
    });
  }

  private async sendHeld(reminderId: string, lastAttempt: boolean, now: Date): Promise<SendResult> {
    const reminder = await this.repos.reminders.findById(reminderId);
    if (reminder?.state === 'sent') {
      // An earlier run was interrupted after the channels answered: finish what it left undone.
      await this.afterSent(reminder, new Date(reminder.sentAt ?? now));
    }
    if (!reminder || reminder.state !== 'pending') return { outcome: 'already-final', channels: {} };
    const [influencer, campaign] = await Promise.all([
      this.repos.influencers.findById(reminder.influencerId),
      this.campaigns.get(reminder.campaignId),
    ]);
    const notSent = await this.whyNotSend(reminder, influencer, campaign);
    if (notSent || !influencer || !campaign) {
      await this.finish(reminder, 'cancelled', `not sent: ${notSent ?? 'influencer is gone'}`, now);
      return { outcome: 'cancelled', channels: {} };
    }
    const sendAt = deferForQuietHours(now, influencer.timezone);
    if (sendAt.getTime() > now.getTime()) {
      await this.repos.reminders.postpone(reminder._id, sendAt);
      this.logger.info({ reminderId: reminder._id, until: sendAt.toISOString() }, 'reminder deferred past quiet hours');
      return { outcome: 'postponed', channels: {} };
    }

    const delivery = await this.deliveryFor(reminder, influencer, campaign);
    const plan = planChannels(delivery.campaign.settings.channels, this.channels, delivery);
    const channels: SendResult['channels'] = Object.fromEntries(
      plan.skipped.map((s) => [s.channel, 'skipped' as const]),
    );
    if (plan.targets.length === 0) {
      await this.finish(
        reminder,
        'cancelled',
        `not sent: ${plan.skipped.map((s) => `${s.channel}: ${s.reason}`).join('; ')}`,
        now,
      );
      return { outcome: 'cancelled', channels };
    }

    const attemptNo = (reminder.failedDeliveries ?? 0) + 1;
    const done: Partial<Record<ReminderChannelName, ChannelDelivery>> = { ...reminder.deliveries };
    /** what the channels did in this run: recorded with the final state, or alone when a retry follows */
    const answered: Partial<Record<ReminderChannelName, ChannelDelivery>> = {};
    const passing: string[] = [];
    await Promise.all(
      plan.targets
        .filter((c) => !done[c.name])
        .map(async (c) => {
          try {
            const detail = await c.deliver(delivery);
            done[c.name] = { state: 'sent', at: new Date(), detail };
          } catch (err) {
            const permanent = err instanceof DeliveryError && err.permanent;
            if (!permanent) {
              passing.push(`${c.name}: ${(err as Error).message}`);
              channels[c.name] = 'retry';
              return;
            }
            done[c.name] = { state: 'failed', at: new Date(), detail: (err as Error).message };
          }
          channels[c.name] = done[c.name]?.state;
          answered[c.name] = done[c.name];
        }),
    );

    if (passing.length) {
      const reason = passing.join('; ');
      // Recorded before anything else, so a retry does not ask a channel that answered again.
      await this.repos.reminders.recordDeliveries(reminder._id, answered);
      await this.repos.reminders.recordFailure(reminder._id, reason, now);
      if (!this.pastRetryWindow(reminder, now)) {
        if (!lastAttempt) throw new Error(reason);
        await this.retryLater(reminder, reason, now);
        return { outcome: 'retry-later', channels };
      }
      for (const failure of passing) {
        const name = failure.slice(0, failure.indexOf(':')) as ReminderChannelName;
        done[name] = {
          state: 'failed',
          at: now,
          detail: `still failing after ${this.config.REMINDER_RETRY_HOURS} h: ${failure.slice(name.length + 2)}`,
        };
        channels[name] = 'failed';
      }
    }

    const results = plan.targets.map((c) => ({ name: c.name, ...(done[c.name] as ChannelDelivery) }));
    // Counted once per reminder, here, including channels that delivered during an earlier, failing, attempt.
    for (const r of results) channels[r.name] = r.state;
    const sent = results.filter((r) => r.state === 'sent');
    const failed = results.filter((r) => r.state === 'failed').map((r) => `${r.name} failed: ${r.detail}`);
    if (sent.length === 0) {
      await this.finish(reminder, 'failed', failed.join('; '), now, answered);
      return { outcome: 'failed', channels };
    }
    const outcome = [
      `delivered ${sent.map((r) => `by ${r.name} (${r.detail})`).join(' and ')} on delivery attempt ${attemptNo}`,
      ...failed,
    ].join('; ');
    await this.repos.reminders.finish(reminder._id, 'sent', outcome, now, answered);
    await this.afterSent({ ...reminder, deliveries: done, state: 'sent', outcome, sentAt: now }, now);
    return { outcome: 'sent', channels };
  }

  private async whyNotSend(
    reminder: ReminderDoc,
    influencer: InfluencerDoc | null,
    campaign: CampaignTarget | null,
  ): Promise<string | null> {
    if (!campaign || campaign.state !== 'active') return 'campaign is not active';
    const waitingRank = reminder.stage === 'purchase' ? STATUS_RANK.signed_up : STATUS_RANK.done;
    if (!influencer || influencer.statusRank !== waitingRank) return `influencer is ${influencer?.status ?? 'gone'}`;
    if (influencer.unsubscribedAt || (await this.repos.unsubscribes.isUnsubscribed(influencer._id)))
      return 'unsubscribed';
    return null;
  }

  private async deliveryFor(
    reminder: ReminderDoc,
    influencer: InfluencerDoc,
    campaign: CampaignTarget,
  ): Promise<ReminderDelivery> {
    const { PUBLIC_INGEST_URL: base } = this.config;
    const secret = this.links;
    return {
      reminderId: reminder._id,
      stage: reminder.stage,
      number: reminder.attempt,
      campaign: {
        id: campaign._id,
        name: campaign.name,
        brandName: await this.brandName(campaign.brandId),
        settings: reminderSettings(campaign.reminders),
      },
      influencer: { id: influencer._id, instagramHandle: influencer.instagramHandle, email: influencer.email },
      links: buildInfluencerLinks(base, reminder.campaignId, reminder.influencerId, secret),
      unsubscribeUrl: unsubscribeUrl(
        base,
        { campaignId: reminder.campaignId, influencerId: reminder.influencerId },
        secret,
      ),
    };
  }

  private async brandName(brandId: string): Promise<string> {
    const hit = this.brandNames.get(brandId);
    if (hit && Date.now() - hit.at < 60_000) return hit.name;
    const name = (await this.repos.brands.findById(brandId))?.name ?? 'the brand';
    if (this.brandNames.size > 10_000) this.brandNames.clear();
    this.brandNames.set(brandId, { name, at: Date.now() });
    return name;
  }

  private pastRetryWindow(reminder: ReminderDoc, now: Date): boolean {
    const since = reminder.firstFailedAt ? new Date(reminder.firstFailedAt).getTime() : now.getTime();
    return now.getTime() - since >= this.config.REMINDER_RETRY_HOURS * 3_600_000;
  }

  /** Left pending for a later sweep (a fresh job), or failed once it has kept failing for too long. */
  private async retryLater(reminder: ReminderDoc, reason: string, now: Date): Promise<void> {
    if (this.pastRetryWindow(reminder, now)) {
      await this.finish(
        reminder,
        'failed',
        `still failing after ${this.config.REMINDER_RETRY_HOURS} h: ${reason}`,
        now,
      );
      return;
    }
    const at = new Date(now.getTime() + RETRY_LATER_MS * (1 + Math.random()));
    await this.repos.reminders.postpone(reminder._id, at);
    this.logger.warn(
      { reminderId: reminder._id, until: at.toISOString(), reason },
      'reminder still failing; left pending for a later sweep',
    );
  }

  /**
   * Timeline entry and the next reminder of the stage; each step can be repeated safely. The influencer's count of
   * reminders sent is the count of its reminders in state `sent` (read with the lists), so nothing is counted here.
   */
  private async afterSent(reminder: ReminderDoc, sentAt: Date): Promise<void> {
    await this.record(reminder, 'sent', reminder.outcome ?? 'delivered', sentAt);
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
  private async finish(
    reminder: ReminderDoc,
    state: Exclude<FinalState, 'sent'>,
    outcome: string,
    at: Date,
    deliveries: Partial<Record<ReminderChannelName, ChannelDelivery>> = {},
  ): Promise<void> {
    await this.record(reminder, state, outcome, at);
    await this.repos.reminders.finish(reminder._id, state, outcome, null, deliveries);
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
    await this.announce(reminder, state, outcome, at);
  }
}
