import { DEFAULT_REMINDERS, type ReminderPolicy, type ReminderStage } from './schedule.js';
import { DEFAULT_TEMPLATES, type ReminderTemplate } from './templates.js';

export const REMINDER_CHANNELS = ['email', 'webhook'] as const;
export type ReminderChannelName = (typeof REMINDER_CHANNELS)[number];
export const DEFAULT_CHANNELS: ReminderChannelName[] = ['email'];

/** A campaign's reminder settings as stored: anything left out takes its default when read. */
export interface StoredReminderSettings {
  purchase: ReminderPolicy;
  review: ReminderPolicy;
  channels?: ReminderChannelName[] | null;
  templates?: Partial<Record<ReminderStage, Partial<ReminderTemplate> | null>> | null;
  replyTo?: string | null;
}

export interface ReminderSettings {
  purchase: ReminderPolicy;
  review: ReminderPolicy;
  channels: ReminderChannelName[];
  templates: Record<ReminderStage, ReminderTemplate>;
  replyTo: string | null;
}

/** The settings in force: stored values over the defaults, field by field for templates. */
export function reminderSettings(stored: StoredReminderSettings | null | undefined): ReminderSettings {
  const custom = stored?.templates ?? {};
  const template = (stage: ReminderStage): ReminderTemplate => ({
    ...DEFAULT_TEMPLATES[stage],
    ...withoutEmpty(custom[stage]),
  });
  return {
    purchase: stored?.purchase ?? DEFAULT_REMINDERS.purchase,
    review: stored?.review ?? DEFAULT_REMINDERS.review,
    channels: stored?.channels?.length ? [...stored.channels] : [...DEFAULT_CHANNELS],
    templates: { purchase: template('purchase'), review: template('review') },
    replyTo: stored?.replyTo ?? null,
  };
}

function withoutEmpty(t: Partial<ReminderTemplate> | null | undefined): Partial<ReminderTemplate> {
  const out: Partial<ReminderTemplate> = {};
  for (const [k, v] of Object.entries(t ?? {}))
    if (typeof v === 'string' && v !== '') out[k as keyof ReminderTemplate] = v;
  return out;
}
