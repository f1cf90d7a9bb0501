import type { InfluencerDoc } from './influencer.schema.js';

const INSERT_DEFAULTS: Omit<InfluencerDoc, '_id' | 'campaignId'> = {
  instagramHandle: null,
  listed: false,
  email: null,
  timezone: null,
  status: 'signed_up',
  statusRank: 0,
  purchasedAt: null,
  doneAt: null,
  followedUpAt: null,
  purchased: false,
  purchaseClicks: 0,
  reviewClicks: 0,
  botClicks: 0,
  remindersSent: 0,
  submission: null,
  rev: 0,
  counted: null,
};

/**
 * Documents are created by a plain insert of defaults (a duplicate key when one exists) and then updated,
 * never by an upsert: FerretDB 2.7 loses one of two concurrent upserts that both insert (measured here: 4
 * concurrent `$inc` upserts on a new `_id` kept 1.4–1.8 on average), while inserts and updates are exact.
 */
export function skeleton(id: string, campaignId: string): InfluencerDoc {
  return { _id: id, campaignId, ...INSERT_DEFAULTS };
}

/** Sorts documents by `_id`: every bulk over one collection takes its rows in this order (see applyClicks). */
export function byId(a: { _id: string }, b: { _id: string }): number {
  return a._id < b._id ? -1 : a._id > b._id ? 1 : 0;
}
