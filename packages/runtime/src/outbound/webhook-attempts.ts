import { createHash } from 'node:crypto';
import { jobIdFor, WEBHOOK_ATTEMPTS_PER_JOB } from '@seedline/domain';
import type { Queues } from '../queues.js';

/** A delivery is one message to one endpoint. */
export const deliveryIdFor = (endpointId: string, messageId: string) => `${endpointId}-${messageId}`;

/** The endpoint of a delivery, from its id alone (endpoint ids are hex: the first `-` ends them). */
export const endpointOfDelivery = (deliveryId: string) => deliveryId.slice(0, deliveryId.indexOf('-'));

/**
 * Queues an attempt of each delivery, up to WEBHOOK_ATTEMPTS_PER_JOB a job, the deliveries of several endpoints
 * together (sorted by endpoint, so an endpoint's attempts stay in as few jobs as they fit): a job's Redis writes
 * and its worker's turn are paid once for every endpoint of the events fanned out together, not once per
 * endpoint. The deliverer sends each endpoint's attempts on their own (one endpoint's slots never hold another's).
 * The job id is a digest of its deliveries, round and step: a repeat of the same call (a fan-out run again)
 * queues nothing twice. A delivery queued twice in different jobs is sent by the first to run; the other finds
 * its step recorded and sends nothing.
 */
export async function queueAttempt(
  queues: Queues,
  deliveryIds: string[],
  round: number,
  step: number,
  delayMs = 0,
  suffix = '',
): Promise<void> {
  if (deliveryIds.length === 0) return;
  const sorted = [...new Set(deliveryIds)].sort();
  const jobs = chunks(sorted, WEBHOOK_ATTEMPTS_PER_JOB).map((part) => {
    const digest = createHash('sha256').update(part.join(',')).digest('base64url').slice(0, 22);
    return {
      name: 'deliver',
      data: { attempts: part.map((deliveryId) => ({ deliveryId, round, step })) },
      opts: {
        jobId: jobIdFor('whd', `${digest}-r${round}-s${step}${suffix}`),
        ...(delayMs > 0 ? { delay: delayMs } : {}),
      },
    };
  });
  await queues['webhook-deliveries'].addBulk(jobs);
}

function chunks<T>(all: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < all.length; i += size) out.push(all.slice(i, i + size));
  return out;
}
