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

  /** Many entries at once (a job's sign-ups): one insert for all their first reminders. */
  async enterStages(
    entries: { campaignId: string; influencerId: string; stage: ReminderStage; enteredAt: Date }[],
  ): Promise<void> {
    const due = [];
    for (const e of entries) {
      const campaign = await this.campaigns.get(e.campaignId);
      const dueAt = campaign ? reminderDueAt(campaign.reminders[e.stage], 1, e.enteredAt) : null;
      if (dueAt)
        due.push({ campaignId: e.campaignId, influencerId: e.influencerId, stage: e.stage, attempt: 1, dueAt });
    }
    await this.repos.reminders.scheduleMany(due);
  }

  async afterChanges(changes: StatusChange[]): Promise<void> {
    await Promise.all(
      changes.filter((c) => c.to === 'done').map((c) => this.enterStage(c.campaignId, c.influencerId, 'review', c.at)),
    );
  }
}
