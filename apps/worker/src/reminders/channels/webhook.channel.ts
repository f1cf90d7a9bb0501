import type { WorkerConfig } from '../../config.js';
import { deliverReminder } from '../webhook.js';
import type { ReminderChannel, ReminderDelivery } from './channel.js';

type WebhookConfig = Pick<WorkerConfig, 'REMINDER_WEBHOOK_URL' | 'WEBHOOK_SECRET' | 'WEBHOOK_TIMEOUT_MS'>;

/** The signed JSON POST to REMINDER_WEBHOOK_URL. Every failure passes: the receiver may be down for a while. */
export class WebhookChannel implements ReminderChannel {
  readonly name = 'webhook' as const;

  constructor(private readonly config: WebhookConfig) {}

  cannotReach(): string | null {
    return this.config.REMINDER_WEBHOOK_URL ? null : 'REMINDER_WEBHOOK_URL is not set';
  }

  async deliver(d: ReminderDelivery): Promise<string> {
    const status = await deliverReminder(
      this.config.REMINDER_WEBHOOK_URL as string,
      {
        id: d.reminderId,
        type: d.stage === 'purchase' ? 'purchase_reminder' : 'review_reminder',
        attempt: d.number,
        campaignId: d.campaign.id,
        influencerId: d.influencer.id,
        instagramHandle: d.influencer.instagramHandle,
        email: d.influencer.email,
        links: d.links,
      },
      this.config.WEBHOOK_SECRET,
      this.config.WEBHOOK_TIMEOUT_MS,
    );
    return `HTTP ${status}`;
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}
