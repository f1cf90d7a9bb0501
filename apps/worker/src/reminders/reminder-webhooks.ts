import type { ReminderDoc, Repositories } from '@seedline/db';
import { reminderFailedDraft, reminderSentDraft } from '@seedline/domain';
import type { WebhookEmitter } from '../webhooks/emitter.js';

/** How a reminder ended, as the sender records it on the timeline. */
export type ReminderEnd = 'sent' | 'cancelled' | 'failed';
export type ReminderAnnouncer = (reminder: ReminderDoc, end: ReminderEnd, outcome: string, at: Date) => Promise<void>;

/**
 * The brand's `reminder.sent` / `reminder.failed` webhooks, told where the sender records the reminder's end
 * (a reminder that was not due any more, `cancelled`, is no event for the brand). Once per reminder and end.
 */
export function reminderAnnouncer(emitter: WebhookEmitter, repos: Repositories): ReminderAnnouncer {
  return async (reminder, end, outcome, at) => {
    if (end === 'cancelled') return;
    await emitter.forCampaign(reminder.campaignId, async (brandId) => {
      const influencer = await repos.influencers.findById(reminder.influencerId);
      const fact = {
        brandId,
        campaignId: reminder.campaignId,
        influencerId: reminder.influencerId,
        instagramHandle: influencer?.instagramHandle ?? null,
        reminderId: reminder._id,
        stage: reminder.stage,
        number: reminder.attempt,
        at,
      };
      if (end === 'failed') return reminderFailedDraft({ ...fact, reason: outcome });
      const channels = Object.entries(reminder.deliveries ?? {})
        .filter(([, d]) => d?.state === 'sent')
        .map(([name]) => name)
        .sort();
      return reminderSentDraft({ ...fact, channels });
    });
  };
}
