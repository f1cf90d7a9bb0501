import {
  composeReminderEmail,
  reminderSettings,
  trimEndOf,
  type reminderPreviewResponse,
  type ReminderStage,
} from '@seedline/domain';
import type { CampaignDoc } from '@seedline/db';
import type { z } from 'zod';

export const SAMPLE_INFLUENCER = { instagramHandle: 'sample.creator', email: 'sample.creator@example.com' } as const;

/**
 * A reminder as the worker would send it, for a made-up influencer. The links are placeholders under the
 * public ingest URL (the api holds no link secret, so it cannot sign real ones); everything else is what goes out.
 */
export function renderReminderPreview(input: {
  campaign: CampaignDoc;
  brandName: string;
  stage: ReminderStage;
  from: string;
  ingestUrl: string;
}): z.infer<typeof reminderPreviewResponse> {
  const settings = reminderSettings(input.campaign.reminders);
  const base = trimEndOf(input.ingestUrl, '/');
  const email = composeReminderEmail({
    reminderId: `preview-${input.stage}-1`,
    stage: input.stage,
    from: input.from,
    to: SAMPLE_INFLUENCER.email,
    replyTo: settings.replyTo,
    template: settings.templates[input.stage],
    values: {
      handle: SAMPLE_INFLUENCER.instagramHandle,
      campaignName: input.campaign.name,
      brandName: input.brandName,
      link: `${base}/l/sample-${input.stage}-link`,
      submitLink: `${base}/s/sample-submission-link`,
      unsubscribeLink: `${base}/u/sample-unsubscribe-link`,
    },
  });
  return {
    stage: input.stage,
    channels: settings.channels,
    sample: { ...SAMPLE_INFLUENCER },
    from: email.from,
    to: email.to,
    replyTo: email.replyTo,
    subject: email.subject,
    text: email.text,
    html: email.html,
    headers: { 'Message-ID': email.messageId, ...email.headers },
  };
}
