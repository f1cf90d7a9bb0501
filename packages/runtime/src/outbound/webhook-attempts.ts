import { jobIdFor } from '@seedline/domain';
import type { Queues } from '../queues.js';

/** A delivery is one message to one endpoint. */
export const deliveryIdFor = (endpointId: string, messageId: string) => `${endpointId}-${messageId}`;

/** The endpoint of a delivery, from its id alone (endpoint ids are hex: the first `-` ends them). */
export const endpointOfDelivery = (deliveryId: string) => deliveryId.slice(0, deliveryId.indexOf('-'));

/** Queues an attempt of each delivery (job id per delivery, round and step: a repeat queues nothing twice). */
export async function queueAttempt(
  queues: Queues,
  deliveryIds: string[],
  round: number,
  step: number,
  delayMs = 0,
  suffix = '',
): Promise<void> {
  if (deliveryIds.length === 0) return;
  await queues['webhook-deliveries'].addBulk(
    deliveryIds.map((deliveryId) => ({
      name: 'deliver',
      data: { deliveryId, round, step },
      opts: {
        jobId: jobIdFor('whd', `${deliveryId}-r${round}-s${step}${suffix}`),
        ...(delayMs > 0 ? { delay: delayMs } : {}),
      },
    })),
  );
}
