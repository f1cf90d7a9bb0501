import type { ClickEvent } from '@seedline/domain';
import type { Counter, EventDoc } from '../events/event.schema.js';

export type Fact = 'firstPurchaseClickAt' | 'firstReviewClickAt';

export const FACT_OF: Partial<Record<Counter, Fact>> = {
  purchaseClicks: 'firstPurchaseClickAt',
  reviewClicks: 'firstReviewClickAt',
};

export function counterOf(e: ClickEvent): Counter {
  if (!e.human || e.flagged) return 'botClicks';
  return e.link === 'purchase' ? 'purchaseClicks' : 'reviewClicks';
}

/** A click's timeline entry; its `_id` is the event id, so a second delivery is a duplicate key. */
export function clickEventDoc(e: ClickEvent): EventDoc {
  const counter = counterOf(e);
  const type = counter === 'botClicks' ? 'bot_click' : e.link === 'purchase' ? 'purchase_click' : 'review_click';
  const what = e.link === 'purchase' ? 'purchase link' : 'review link';
  const detail =
    counter === 'botClicks'
      ? `${what} fetched by ${e.flagged ? 'a rate-limited client' : 'a bot or link preview'} (not counted as a person)`
      : `${what} clicked`;
  return {
    _id: `click-${e.eventId}`,
    campaignId: e.campaignId,
    influencerId: e.influencerId,
    type,
    at: new Date(e.at),
    detail,
    source: e.source === 'link' ? 'tracked link' : 'link tracker feed',
    counter,
    data: { ipHash: e.ipHash ?? null, userAgent: e.userAgent ?? null, referrer: e.referrer ?? null, link: e.link },
  };
}

/** What a batch of clicks does to one influencer. */
export interface ClickAggregate {
  campaignId: string;
  counters: Set<Counter>;
  min: Partial<Record<Fact, Date>>;
  /** the event behind each earliest fact, named on the status change it causes */
  cause: Partial<Record<Fact, string>>;
}

export function aggregateClicks(docs: EventDoc[]): Map<string, ClickAggregate> {
  const byInfluencer = new Map<string, ClickAggregate>();
  for (const doc of docs) {
    const counter = doc.counter as Counter;
    let agg = byInfluencer.get(doc.influencerId);
    if (!agg) {
      agg = { campaignId: doc.campaignId, counters: new Set(), min: {}, cause: {} };
      byInfluencer.set(doc.influencerId, agg);
    }
    agg.counters.add(counter);
    const fact = FACT_OF[counter];
    if (fact) {
      const prev = agg.min[fact];
      if (!prev || doc.at < prev || (doc.at.getTime() === prev.getTime() && doc._id < (agg.cause[fact] ?? ''))) {
        agg.min[fact] = doc.at;
        agg.cause[fact] = doc._id;
      }
    }
  }
  return byInfluencer;
}

export function dedupeById(docs: EventDoc[]): EventDoc[] {
  const seen = new Map<string, EventDoc>();
  for (const d of docs) if (!seen.has(d._id)) seen.set(d._id, d);
  return [...seen.values()];
}
