import { z } from 'zod';
import { eventId } from './common.js';

export const reminderJob = z.object({ reminderId: eventId });
export type ReminderJob = z.infer<typeof reminderJob>;

export const reminderSweepJob = z.object({}).passthrough();
export type ReminderSweepJob = z.infer<typeof reminderSweepJob>;
