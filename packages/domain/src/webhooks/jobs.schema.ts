import { z } from 'zod';
import { webhookEventDraft } from './event.js';

/** The most events one `webhook-events` job carries (producers split larger emits into several jobs). */
export const WEBHOOK_EVENTS_PER_JOB = 1000;

/** `webhook-events`: events as their sources recorded them; the fan-out numbers them and records deliveries. */
export const webhookEventsJob = z.object({ events: z.array(webhookEventDraft).min(1).max(WEBHOOK_EVENTS_PER_JOB) });
export type WebhookEventsJob = z.infer<typeof webhookEventsJob>;

/** One attempt (`step` of the schedule) of one recorded delivery. */
export const webhookAttemptRef = z.object({
  deliveryId: z.string().min(1).max(300),
  /** raised by a manual retry or a recovery, which start the schedule again */
  round: z.number().int().min(0).default(0),
  step: z.number().int().min(0).max(1000),
});
export type WebhookAttemptRef = z.infer<typeof webhookAttemptRef>;

/** The most attempts one job carries: a job runs them all before it ends, so it stays short. */
export const WEBHOOK_ATTEMPTS_PER_JOB = 50;

/**
 * `webhook-deliveries`: attempts of deliveries to one or several endpoints, carried by one job (one job per
 * attempt cost a job's Redis writes per event and endpoint). A job queued before jobs carried several (`{deliveryId, round,
 * step}`) is read as a job of one.
 */
export const webhookDeliveryJob = z.union([
  z.object({ attempts: z.array(webhookAttemptRef).min(1).max(WEBHOOK_ATTEMPTS_PER_JOB) }),
  webhookAttemptRef.transform((a) => ({ attempts: [a] })),
]);
export type WebhookDeliveryJob = z.infer<typeof webhookDeliveryJob>;
