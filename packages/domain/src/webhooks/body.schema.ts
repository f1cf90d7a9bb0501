import { z } from 'zod';
import { WEBHOOK_EVENT_DATA } from './event.js';

/**
 * What a brand's endpoint receives: `{type, timestamp, data}`, `data` being the event's payload (event.ts)
 * with the `sequence` the fan-out gave it, increasing per influencer (per campaign for campaign-wide events).
 * The receiver's side of the contract: the README's examples and the end-to-end tests parse bodies with it.
 */
const sequence = z.number().int().min(1).describe('increasing per influencer: order events by it');
const timestamp = z.iso.datetime({ offset: true });
// The payload is extended at each call with a concrete type: extended inside a generic, its type would widen
// to every event's payload and `type` would no longer narrow `data`.
const bodyOf = <T extends string, D extends z.ZodType>(type: T, data: D) =>
  z.object({ type: z.literal(type), timestamp, data });
const D = WEBHOOK_EVENT_DATA;

export const webhookEventBody = z.discriminatedUnion('type', [
  bodyOf('influencer.signed_up', D['influencer.signed_up'].extend({ sequence })),
  bodyOf('influencer.status_changed', D['influencer.status_changed'].extend({ sequence })),
  bodyOf('submission.rejected', D['submission.rejected'].extend({ sequence })),
  bodyOf('reminder.sent', D['reminder.sent'].extend({ sequence })),
  bodyOf('reminder.failed', D['reminder.failed'].extend({ sequence })),
  bodyOf('attribution.report_uploaded', D['attribution.report_uploaded'].extend({ sequence })),
  bodyOf('reimbursement.updated', D['reimbursement.updated'].extend({ sequence })),
  bodyOf('ping', z.object({ endpointId: z.string() })),
]);
export type WebhookEventBody = z.infer<typeof webhookEventBody>;
