import { z } from 'zod';
import { webhookEventDraft } from './event.js';

/** `webhook-events`: events as their sources recorded them; the fan-out numbers them and records deliveries. */
export const webhookEventsJob = z.object({ events: z.array(webhookEventDraft).min(1).max(1000) });
export type WebhookEventsJob = z.infer<typeof webhookEventsJob>;

/** `webhook-deliveries`: one attempt (`step` of the schedule) of one recorded delivery. */
export const webhookDeliveryJob = z.object({
  deliveryId: z.string().min(1).max(300),
  /** raised by a manual retry or a recovery, which start the schedule again */
  round: z.number().int().min(0).default(0),
  step: z.number().int().min(0).max(1000),
});
export type WebhookDeliveryJob = z.infer<typeof webhookDeliveryJob>;
