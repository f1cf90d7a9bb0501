import { createHash } from 'node:crypto';
import { formatMoney } from '../money/amount.js';
import type { ReimbursementState } from '../money/state.js';
import { webhookMessageIdFor, type WebhookEventDraft } from './event.js';

/**
 * One builder per event its source emits (influencer.status_changed is the worker's emitter's own). Each id is
 * derived from the fact alone, never from a clock or a random draw: a redelivered job, a retried request or a
 * second worker building the same fact gets the same `webhook-id`, which the fan-out records once.
 */
type DraftOf<T extends WebhookEventDraft['type']> = Extract<WebhookEventDraft, { type: T }>;

interface InfluencerFact {
  brandId: string;
  campaignId: string;
  influencerId: string;
  instagramHandle: string | null;
}
const ref = (f: InfluencerFact) => ({
  influencerId: f.influencerId,
  campaignId: f.campaignId,
  instagramHandle: f.instagramHandle,
});

/** Once per influencer: a repeated sign-up of the same handle is the same influencer, not a new fact. */
export function signedUpDraft(f: InfluencerFact & { signedUpAt: Date }): DraftOf<'influencer.signed_up'> {
  const at = f.signedUpAt.toISOString();
  return {
    id: webhookMessageIdFor('signup', f.influencerId),
    type: 'influencer.signed_up',
    brandId: f.brandId,
    occurredAt: at,
    data: { ...ref(f), signedUpAt: at },
  };
}

/** Once per submission (its id is fixed when the form accepted it). */
export function submissionRejectedDraft(
  f: InfluencerFact & { submissionId: string; postUrl: string | null; reasons: string[]; at: Date },
): DraftOf<'submission.rejected'> {
  return {
    id: webhookMessageIdFor('rejected', f.submissionId),
    type: 'submission.rejected',
    brandId: f.brandId,
    occurredAt: f.at.toISOString(),
    data: {
      ...ref(f),
      submissionId: f.submissionId,
      postUrl: f.postUrl === null ? null : f.postUrl.slice(0, 2048),
      reasons: f.reasons.slice(0, 50).map((r) => r.slice(0, 500)),
    },
  };
}

interface ReminderFact extends InfluencerFact {
  reminderId: string;
  stage: 'purchase' | 'review';
  number: number;
  at: Date;
}

/** Once per reminder: a reminder reaches one final state, sent or failed. */
export function reminderSentDraft(f: ReminderFact & { channels: string[] }): DraftOf<'reminder.sent'> {
  const at = f.at.toISOString();
  return {
    id: webhookMessageIdFor('reminder', f.reminderId, 'sent'),
    type: 'reminder.sent',
    brandId: f.brandId,
    occurredAt: at,
    data: { ...ref(f), reminderId: f.reminderId, stage: f.stage, number: f.number, channels: f.channels, sentAt: at },
  };
}

export function reminderFailedDraft(f: ReminderFact & { reason: string }): DraftOf<'reminder.failed'> {
  const at = f.at.toISOString();
  return {
    id: webhookMessageIdFor('reminder', f.reminderId, 'failed'),
    type: 'reminder.failed',
    brandId: f.brandId,
    occurredAt: at,
    data: {
      ...ref(f),
      reminderId: f.reminderId,
      stage: f.stage,
      number: f.number,
      reason: f.reason.slice(0, 1000),
      failedAt: at,
    },
  };
}

/**
 * Once per report content and campaign: the id hashes the parsed rows, so uploading the same report again
 * (which changes nothing stored) sends nothing new, and any other report is a new event.
 */
export function attributionUploadedDraft(f: {
  brandId: string;
  campaignId: string;
  parsedRows: readonly unknown[];
  stored: { rows: number; replaced: number };
  reportedFrom: string | null;
  reportedThrough: string | null;
  uploadedAt: Date;
}): DraftOf<'attribution.report_uploaded'> {
  const digest = createHash('sha256').update(JSON.stringify(f.parsedRows)).digest('hex').slice(0, 32);
  const at = f.uploadedAt.toISOString();
  return {
    id: webhookMessageIdFor('attribution', f.campaignId, digest),
    type: 'attribution.report_uploaded',
    brandId: f.brandId,
    occurredAt: at,
    data: {
      campaignId: f.campaignId,
      rows: f.stored.rows,
      replaced: f.stored.replaced,
      reportedFrom: f.reportedFrom,
      reportedThrough: f.reportedThrough,
      uploadedAt: at,
    },
  };
}

/** A move of a reimbursement as its ledger entry records it (`_id` = `<reimbursementId>-<rev>`, once per move). */
export interface ReimbursementMove {
  _id: string;
  reimbursementId: string;
  brandId: string;
  campaignId: string;
  influencerId: string;
  at: Date;
  from: ReimbursementState | null;
  to: ReimbursementState;
  amount: number | null;
  currency: string;
  reason: string | null;
}

export function reimbursementUpdatedDraft(
  move: ReimbursementMove,
  instagramHandle: string | null,
): DraftOf<'reimbursement.updated'> {
  const at = move.at.toISOString();
  return {
    id: webhookMessageIdFor('reimbursement', move._id),
    type: 'reimbursement.updated',
    brandId: move.brandId,
    occurredAt: at,
    data: {
      influencerId: move.influencerId,
      campaignId: move.campaignId,
      instagramHandle,
      reimbursementId: move.reimbursementId,
      from: move.from,
      state: move.to,
      reason: move.reason === null ? null : move.reason.slice(0, 1000),
      amount: move.amount === null ? null : formatMoney(move.amount, move.currency),
      currency: move.currency,
      at,
    },
  };
}
