import type { z } from 'zod';
import { clicksJob } from '../events/click.schema.js';
import { recountJob } from '../events/recount.schema.js';
import { reminderJob, reminderSweepJob } from '../events/reminder.schema.js';
import { signupsQueueJob } from '../events/signup.schema.js';
import { submissionJob } from '../events/submission.schema.js';
import { unsubscribeJob } from '../events/unsubscribe.schema.js';
import { payoutJob, reimbursementEvaluateJob, reimbursementNoticeJob } from '../money/jobs.schema.js';
import { instagramJob, instagramSweepJob } from '../instagram/jobs.schema.js';
import { webhookDeliveryJob, webhookEventsJob } from '../webhooks/jobs.schema.js';
import { payoutSweepJob } from '../payouts/jobs.schema.js';

/**
 * Every queue Seedline uses: its payload schema and default job options. Queue names are part of the data in
 * Redis: never rename one. The record type makes a handler map over `QueueName` exhaustive at compile time.
 */
const keepFinished = {
  removeOnComplete: { age: 3600, count: 5000 },
  removeOnFail: { age: 7 * 24 * 3600, count: 20000 },
} as const;

export const JOB_CATALOGUE = {
  signups: {
    schema: signupsQueueJob,
    options: { attempts: 12, backoff: { type: 'exponential', delay: 500 }, ...keepFinished },
  },
  clicks: {
    schema: clicksJob,
    options: { attempts: 12, backoff: { type: 'exponential', delay: 500 }, ...keepFinished },
  },
  submissions: {
    schema: submissionJob,
    options: { attempts: 12, backoff: { type: 'exponential', delay: 500 }, ...keepFinished },
  },
  reminders: {
    schema: reminderJob,
    // The webhook receiver may be down for a while: back off exponentially (with jitter, see the worker).
    options: { attempts: 8, backoff: { type: 'jittered', delay: 1000 }, ...keepFinished },
  },
  'reminder-sweep': {
    schema: reminderSweepJob,
    options: { attempts: 1, removeOnComplete: { count: 10 }, removeOnFail: { count: 100 } },
  },
  recount: {
    schema: recountJob,
    options: {
      attempts: 3,
      backoff: { type: 'exponential', delay: 5000 },
      removeOnComplete: { count: 100 },
      removeOnFail: { count: 100 },
    },
  },
  unsubscribes: {
    schema: unsubscribeJob,
    options: { attempts: 12, backoff: { type: 'exponential', delay: 500 }, ...keepFinished },
  },
  reimbursements: {
    schema: reimbursementEvaluateJob,
    options: { attempts: 12, backoff: { type: 'exponential', delay: 500 }, ...keepFinished },
  },
  // A payout job only ever moves a reimbursement through compare-and-set and reconciles with the provider
  // before sending again, so redelivery and retries are safe; the provider may be down for a while.
  payouts: {
    schema: payoutJob,
    options: { attempts: 20, backoff: { type: 'jittered', delay: 2000 }, ...keepFinished },
  },
  'payout-sweep': {
    schema: payoutSweepJob,
    options: { attempts: 1, removeOnComplete: { count: 10 }, removeOnFail: { count: 100 } },
  },
  'reimbursement-notices': {
    schema: reimbursementNoticeJob,
    options: { attempts: 8, backoff: { type: 'jittered', delay: 1000 }, ...keepFinished },
  },
  // Graph API look-ups: a failed attempt is retried with backoff; what stays undecided is found again by the sweep.
  instagram: {
    schema: instagramJob,
    options: { attempts: 6, backoff: { type: 'jittered', delay: 2000 }, ...keepFinished },
  },
  'instagram-sweep': {
    schema: instagramSweepJob,
    options: { attempts: 1, removeOnComplete: { count: 10 }, removeOnFail: { count: 100 } },
  },
  'webhook-events': {
    schema: webhookEventsJob,
    options: { attempts: 12, backoff: { type: 'exponential', delay: 500 }, ...keepFinished },
  },
  // A job carries attempts (the same step of several deliveries, of one or several endpoints): the retry schedule (Retry-After,
  // 410, disabling) is the processor's, not BullMQ's;
  // BullMQ's attempts only cover our own failures (the database down), never the receiver's answer.
  'webhook-deliveries': {
    schema: webhookDeliveryJob,
    options: { attempts: 12, backoff: { type: 'exponential', delay: 1000 }, ...keepFinished },
  },
} as const;

export type QueueName = keyof typeof JOB_CATALOGUE;
export type JobPayload<Q extends QueueName> = z.infer<(typeof JOB_CATALOGUE)[Q]['schema']>;
export const QUEUE_NAMES = Object.keys(JOB_CATALOGUE) as QueueName[];

/** Hash-tagged so that every key of every queue lands in one Redis Cluster slot. */
export const DEFAULT_QUEUE_PREFIX = '{seedline}';

/** BullMQ job ids may not contain `:` nor be all digits. */
export function jobIdFor(kind: string, id: string): string {
  return `${kind}-${id.replace(/:/g, '_')}`;
}
