import {
  STATUS_LABELS,
  type InfluencerAttribution,
  type ReimbursementBrief,
  type Verification,
  type influencerDetailResponse,
  type influencerItemResponse,
} from '@seedline/domain';
import type { z } from 'zod';
import { CLICK_COUNTERS, type EventDoc, type InfluencerDoc, type SubmissionSnapshot } from '@seedline/db';

const iso = (d: Date | null | undefined) => (d ? new Date(d).toISOString() : null);

/**
 * `attribution`: Amazon's figures for the influencer's own tag (see influencerAttribution), null without;
 * `reimbursement`: its state and amount (presentReimbursementBrief), null without.
 */
/** What Instagram says of the shown post; `unverified` when it was accepted on the typed caption alone. */
export function verificationOf(s: SubmissionSnapshot | null): Verification | null {
  if (!s) return null;
  if (s.removedAt || s.verification === 'removed') return 'removed';
  if (s.verification === 'pending' || s.verification === 'verified') return s.verification;
  return s.accepted ? 'unverified' : null;
}

/** `attribution`: Amazon's figures for the influencer's own tag (see influencerAttribution), null without. */
export function presentInfluencer(
  doc: InfluencerDoc,
  attribution: InfluencerAttribution | null = null,
  reimbursement: ReimbursementBrief | null = null,
): z.infer<typeof influencerItemResponse> {
  return {
    id: doc._id,
    instagramHandle: doc.instagramHandle,
    status: doc.status,
    statusLabel: STATUS_LABELS[doc.status],
    signedUpAt: iso(doc.signedUpAt),
    purchasedAt: iso(doc.purchasedAt),
    doneAt: iso(doc.doneAt),
    followedUpAt: iso(doc.followedUpAt),
    purchaseClicks: doc.purchaseClicks,
    reviewClicks: doc.reviewClicks,
    botClicks: doc.botClicks,
    remindersSent: doc.remindersSent,
    unsubscribedAt: iso(doc.unsubscribedAt),
    attribution,
    reimbursement,
    verification: verificationOf(doc.submission),
  };
}
export type InfluencerItem = ReturnType<typeof presentInfluencer>;

export function presentInfluencerDetail(
  doc: InfluencerDoc,
  timeline: EventDoc[],
  attribution: InfluencerAttribution | null = null,
  reimbursement: ReimbursementBrief | null = null,
): z.infer<typeof influencerDetailResponse> {
  return {
    ...presentInfluencer(doc, attribution, reimbursement),
    email: doc.email,
    timezone: doc.timezone,
    submission: doc.submission
      ? {
          id: doc.submission.id,
          postUrl: doc.submission.postUrl,
          caption: doc.submission.caption,
          accepted: doc.submission.accepted,
          reasons: doc.submission.reasons,
          at: iso(doc.submission.at),
          verification: verificationOf(doc.submission),
          source: doc.submission.source ?? 'form',
          media: doc.submission.media ?? null,
          removedAt: iso(doc.submission.removedAt),
        }
      : null,
    timeline: timeline.map((e) => ({ at: iso(e.at), type: e.type, detail: e.detail, source: e.source })),
    timelineClicksOmitted: Math.max(0, clicksOf(doc) - timeline.filter((e) => isClick(e)).length),
  };
}

export const CSV_COLUMNS = [
  'id',
  'instagramHandle',
  'status',
  'statusLabel',
  'signedUpAt',
  'purchasedAt',
  'doneAt',
  'followedUpAt',
  'purchaseClicks',
  'reviewClicks',
  'remindersSent',
  'unsubscribedAt',
  'verification',
] as const;

/** The `attribution` object flattened for spreadsheets; empty cells when the influencer has no figures. */
export const ATTRIBUTION_CSV_COLUMNS = [
  'attributionClickThroughs',
  'attributionPurchases',
  'attributionUnitsSold',
  'attributionSales',
  'attributionMasked',
] as const;
/** What a CSV cell can hold: objects have no text form a spreadsheet could use. */
export type CsvValue = string | number | boolean | null | undefined;

export function attributionCsvCells(a: InfluencerAttribution | null): CsvValue[] {
  return a ? [a.clickThroughs, a.purchases, a.unitsSold, a.sales, a.masked] : ['', '', '', '', ''];
}

export function csvCell(value: CsvValue): string {
  if (value === null || value === undefined) return '';
  let s = String(value);
  // Neutralise spreadsheet formulas (CSV injection).
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

const isClick = (e: EventDoc) => e.counter !== null && CLICK_COUNTERS.includes(e.counter);
/** Every click the influencer's counters hold, people's and bots'. */
const clicksOf = (doc: InfluencerDoc) => (doc.purchaseClicks ?? 0) + (doc.reviewClicks ?? 0) + (doc.botClicks ?? 0);
