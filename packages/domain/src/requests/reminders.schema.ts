import { z } from 'zod';
import { parseMailbox } from '../reminders/email.js';
import { REMINDER_CHANNELS } from '../reminders/settings.js';
import { templateProblem, type TemplatePart } from '../reminders/templates.js';

const reminderPolicy = z.strictObject({
  firstAfterSeconds: z
    .number()
    .int()
    .min(1)
    .max(365 * 24 * 3600),
  everySeconds: z
    .number()
    .int()
    .min(1)
    .max(365 * 24 * 3600),
  max: z.number().int().min(0).max(20),
});

const templatePart = (part: TemplatePart, max: number) =>
  z
    .string()
    .min(1)
    .max(max)
    .superRefine((value, ctx) => {
      const problem = templateProblem(part, value);
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    });

/** Any part left out keeps its current value (the default until set); `null` for a stage restores the defaults. */
const stageTemplate = z
  .strictObject({
    subject: templatePart('subject', 200),
    text: templatePart('text', 10_000),
    html: templatePart('html', 50_000),
  })
  .partial()
  .nullable();

export const emailAddress = z
  .string()
  .max(254)
  .refine((v) => parseMailbox(v)?.name === null, 'must be an email address such as team@brand.example');

export const reminderSettingsRequest = z.strictObject({
  purchase: reminderPolicy.optional(),
  review: reminderPolicy.optional(),
  channels: z
    .array(z.enum(REMINDER_CHANNELS))
    .min(1)
    .max(REMINDER_CHANNELS.length)
    .refine((c) => new Set(c).size === c.length, 'must not name a channel twice')
    .optional()
    .describe('how reminders leave: `["email"]` (the default), `["webhook"]` or both'),
  templates: z
    .strictObject({ purchase: stageTemplate.optional(), review: stageTemplate.optional() })
    .optional()
    .describe(
      'email per stage; placeholders `{{handle}}`, `{{campaignName}}`, `{{brandName}}`, `{{link}}`, `{{submitLink}}`, `{{unsubscribeLink}}`',
    ),
  replyTo: emailAddress.nullable().optional().describe('Reply-To of reminder emails; null removes it'),
});
export type ReminderSettingsRequest = z.infer<typeof reminderSettingsRequest>;

const policyOut = z.object({
  firstAfterSeconds: z.number().int(),
  everySeconds: z.number().int(),
  max: z.number().int(),
});
const templateOut = z.object({ subject: z.string(), text: z.string(), html: z.string() });
export const reminderSettingsResponse = z.object({
  purchase: policyOut,
  review: policyOut,
  channels: z.array(z.enum(REMINDER_CHANNELS)),
  templates: z
    .object({ purchase: templateOut, review: templateOut })
    .describe('the templates in force (defaults where not set)'),
  replyTo: z.string().nullable(),
});

export const reminderPreviewQuery = z.strictObject({ stage: z.enum(['purchase', 'review']).default('purchase') });

export const reminderPreviewResponse = z.object({
  stage: z.enum(['purchase', 'review']),
  channels: z.array(z.enum(REMINDER_CHANNELS)),
  sample: z
    .object({ instagramHandle: z.string(), email: z.string() })
    .describe('the made-up influencer it is rendered for'),
  from: z.string(),
  to: z.string(),
  replyTo: z.string().nullable(),
  subject: z.string(),
  text: z.string(),
  html: z.string(),
  headers: z.record(z.string(), z.string()).describe('Message-ID, List-Unsubscribe and List-Unsubscribe-Post as sent'),
});
