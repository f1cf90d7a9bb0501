import type { CampaignDoc } from '@seedline/db';
import { reminderSettings, type campaignResponse } from '@seedline/domain';
import type { z } from 'zod';

export function presentCampaign(c: CampaignDoc): z.infer<typeof campaignResponse> {
  return {
    id: c._id,
    name: c.name,
    productUrl: c.productUrl,
    reviewUrl: c.reviewUrl,
    amazonAttributionUrl: c.amazonAttributionUrl,
    requirements: c.requirements,
    reminders: reminderSettings(c.reminders),
    state: c.state,
    createdAt: new Date(c.createdAt).toISOString(),
    updatedAt: new Date(c.updatedAt).toISOString(),
  };
}
