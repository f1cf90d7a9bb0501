import { reminderDueAt, type ReminderStage } from '@seedline/domain';
import type { CampaignCache, Repositories, StatusChange } from '@seedline/db';

/**
 * Schedules the first reminder of a stage when an influencer enters it: the purchase stage at sign-up, the
 * review stage on becoming `done`. The reminder's id is deterministic, so doing it again changes nothing.
 */
export class ReminderPlanner {
  constructor(
    private readonly repos: Repositories,
    private readonly campaigns: CampaignCache,
  ) {}

  async enterStage(campaignId: string, influencerId: string, stage: ReminderStage, enteredAt: Date): Promise<void> {
    const campaign = await this.campaigns.get(campaignId);
    if (!campaign) return;
    const dueAt = reminderDueAt(campaign.reminders[stage], 1, enteredAt);
    if (!dueAt) return;
    await this.repos.reminders.schedule({ campaignId, influencerId, stage, attempt: 1, dueAt });
  }

  async afterChanges(changes: StatusChange[]): Promise<void> {
    await Promise.all(
      changes.filter((c) => c.to === 'done').map((c) => this.enterStage(c.campaignId, c.influencerId, 'review', c.at)),
    );
  }
}
