import type { CampaignDoc } from '@seedline/db';
import { presentReimbursementSettings, reminderSettings, type campaignResponse } from '@seedline/domain';
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
    reimbursement: c.reimbursement ? presentReimbursementSettings(c.reimbursement, c.priceHistory ?? []) : null,
    createdAt: new Date(c.createdAt).toISOString(),
    updatedAt: new Date(c.updatedAt).toISOString(),
  };
}
