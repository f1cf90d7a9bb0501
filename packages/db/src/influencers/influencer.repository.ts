import type { AnyBulkWriteOperation, Connection } from 'mongoose';
import {
  deriveStatus,
  STATUS_RANK,
  type ClickEvent,
  type SignupJob,
  type Status,
  type SubmissionJob,
  type Verdict,
} from '@seedline/domain';
import { ignoreExists } from '../brands/brand.repository.js';
import { bulkWriteInChunks } from '../compat.js';
import type { Counter, EventDoc } from '../events/event.schema.js';
import type { EventRepository } from '../events/event.repository.js';
import { influencerModel, type InfluencerDoc } from './influencer.schema.js';

export interface StatusChange {
  influencerId: string;
  campaignId: string;
  from: Status;
  to: Status;
  at: Date;
  instagramHandle: string | null;
}

export interface ClickBatchOutcome {
  applied: number;
  duplicates: number;
  changes: StatusChange[];
}

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
};

/** $setOnInsert may not name a path another operator of the same update touches. */
function insertDefaults(campaignId: string, update: Record<string, Record<string, unknown> | undefined>) {
  const taken = new Set(Object.values(update).flatMap((op) => Object.keys(op ?? {})));
  const defaults: Record<string, unknown> = { campaignId };
  for (const [k, v] of Object.entries(INSERT_DEFAULTS)) if (!taken.has(k)) defaults[k] = v;
  return { ...update, $setOnInsert: defaults };
}

function counterOf(e: ClickEvent): Counter {
  if (!e.human || e.flagged) return 'botClicks';
  return e.link === 'purchase' ? 'purchaseClicks' : 'reviewClicks';
}

function clickEventDoc(e: ClickEvent): EventDoc {
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

export function influencerRepository(conn: Connection, events: EventRepository) {
  const Influencer = influencerModel(conn);
  const collection = Influencer.collection;
  // Status ranks only rise, so a cached rank is a safe lower bound: a click that cannot raise the status
  // above it needs no read.
  const knownRank = new Map<string, number>();
  const remember = (id: string, rank: number) => {
    if (knownRank.size > 200_000) knownRank.clear();
    if ((knownRank.get(id) ?? -1) < rank) knownRank.set(id, rank);
  };

  const repo = {
    async findById(id: string): Promise<InfluencerDoc | null> {
      return Influencer.findById(id).lean<InfluencerDoc>().exec();
    },

    async applySignup(job: SignupJob): Promise<StatusChange[]> {
      const at = new Date(job.at);
      const set: Record<string, unknown> = { instagramHandle: job.instagramHandle, listed: true };
      if (job.email) set.email = job.email;
      if (job.timezone) set.timezone = job.timezone;
      await collection.updateOne(
        { _id: job.influencerId as never },
        insertDefaults(job.campaignId, { $set: set, $min: { signedUpAt: at } }),
        { upsert: true },
      );
      await events.insertOne({
        _id: `signup-${job.influencerId}`,
        campaignId: job.campaignId,
        influencerId: job.influencerId,
        type: 'signup',
        at,
        detail: `@${job.instagramHandle} signed up`,
        source: 'sign-up form',
        counter: null,
        data: null,
      });
      // A click or submission may have been applied before this sign-up.
      return repo.reconcileStatus(job.influencerId);
    },

    /**
     * Applies many click events with two bulk writes. New events `$inc` their counter; an event seen before
     * (a redelivery, possibly after a crash between the two writes) has its counters recomputed from the
     * events collection instead, so no count is lost or doubled.
     */
    async applyClicks(batch: ClickEvent[]): Promise<ClickBatchOutcome> {
      const docs = dedupeById(batch.map(clickEventDoc));
      const docById = new Map(docs.map((d) => [d._id, d]));
      const { inserted, duplicates } = await events.insertNew(docs);
      const byInfluencer = new Map<string, { campaignId: string; inc: Partial<Record<Counter, number>>; min: Record<string, Date>; purchased: boolean; recount: Set<Counter> }>();
      for (const e of batch) {
        const doc = docById.get(`click-${e.eventId}`);
        if (!doc?.counter) continue;
        let agg = byInfluencer.get(e.influencerId);
        if (!agg) {
          agg = { campaignId: e.campaignId, inc: {}, min: {}, purchased: false, recount: new Set() };
          byInfluencer.set(e.influencerId, agg);
        }
        if (inserted.has(doc._id)) {
          agg.inc[doc.counter] = (agg.inc[doc.counter] ?? 0) + 1;
          inserted.delete(doc._id); // the same event twice in one batch counts once
        } else if (duplicates.has(doc._id)) {
          agg.recount.add(doc.counter);
        }
        if (doc.counter === 'purchaseClicks' || doc.counter === 'reviewClicks') {
          const fact = doc.counter === 'purchaseClicks' ? 'firstPurchaseClickAt' : 'firstReviewClickAt';
          const prev = agg.min[fact];
          if (!prev || doc.at < prev) agg.min[fact] = doc.at;
          if (doc.counter === 'purchaseClicks') agg.purchased = true;
        }
      }
      const ops: AnyBulkWriteOperation[] = [];
      for (const [id, agg] of byInfluencer) {
        const update: Record<string, Record<string, unknown> | undefined> = {};
        if (Object.keys(agg.inc).length) update.$inc = agg.inc;
        if (Object.keys(agg.min).length) update.$min = agg.min;
        if (agg.purchased) update.$set = { purchased: true };
        if (Object.keys(update).length === 0) continue;
        ops.push({ updateOne: { filter: { _id: id }, update: insertDefaults(agg.campaignId, update), upsert: true } });
      }
      await bulkWriteInChunks(collection, ops as never[]);
      await Promise.all(
        [...byInfluencer].flatMap(([id, agg]) => [...agg.recount].map((counter) => repo.recount(id, counter))),
      );
      const changes: StatusChange[] = [];
      const toReconcile = [...byInfluencer].filter(([id, agg]) => {
        const target = agg.min.firstReviewClickAt ? STATUS_RANK.followed_up : agg.min.firstPurchaseClickAt ? STATUS_RANK.purchased : -1;
        return target > (knownRank.get(id) ?? -1);
      });
      for (const found of await Promise.all(toReconcile.map(([id]) => repo.reconcileStatus(id)))) changes.push(...found);
      return { applied: docs.length - duplicates.size, duplicates: duplicates.size, changes };
    },

    async applySubmission(job: SubmissionJob, verdict: Verdict, postUrl: string): Promise<StatusChange[]> {
      const at = new Date(job.at);
      await events.insertOne({
        _id: `submission-${job.eventId}`,
        campaignId: job.campaignId,
        influencerId: job.influencerId,
        type: verdict.accepted ? 'submission_accepted' : 'submission_rejected',
        at,
        detail: verdict.accepted ? `post accepted: ${postUrl}` : `post rejected: ${verdict.reasons.join('; ')}`,
        source: 'submission form',
        counter: null,
        data: { submissionId: job.eventId, postUrl, reasons: verdict.reasons },
      });
      const snapshot = {
        id: job.eventId,
        postUrl,
        caption: job.caption ?? null,
        accepted: verdict.accepted,
        reasons: verdict.reasons,
        at,
      };
      const update: Record<string, Record<string, unknown>> = {};
      if (verdict.accepted) update.$min = { acceptedAt: at };
      if (Object.keys(update).length) {
        await collection.updateOne({ _id: job.influencerId as never }, insertDefaults(job.campaignId, update), { upsert: true });
      }
      // The snapshot shows the accepted post if there is one, else the latest attempt; it is a view, the
      // events hold the truth.
      const current = await repo.findById(job.influencerId);
      const shown = current?.submission;
      const replace =
        !shown ||
        (snapshot.accepted && !shown.accepted) ||
        (snapshot.accepted === shown.accepted && new Date(shown.at).getTime() <= at.getTime());
      if (replace) {
        await collection.updateOne(
          { _id: job.influencerId as never },
          insertDefaults(job.campaignId, { $set: { submission: snapshot } }),
          { upsert: true },
        );
      }
      return repo.reconcileStatus(job.influencerId);
    },

    /** Recomputes a counter from the events; `$max` keeps it monotone when two workers race. */
    async recount(influencerId: string, counter: Counter): Promise<void> {
      const n = await events.count(influencerId, counter);
      await collection.updateOne({ _id: influencerId as never }, { $max: { [counter]: n } });
    },

    /**
     * Raises the stored status to what the facts imply. The timeline entry is written first (its id is
     * deterministic), then the status with a compare-and-set on the rank, so a crash between the two or a
     * concurrent worker leaves a consistent document and no duplicate entry.
     */
    async reconcileStatus(influencerId: string): Promise<StatusChange[]> {
      for (let attempt = 0; attempt < 5; attempt++) {
        const doc = await repo.findById(influencerId);
        if (!doc) return [];
        remember(influencerId, doc.statusRank);
        const derived = deriveStatus(doc);
        const sameTimes =
          sameTime(doc.purchasedAt, derived.purchasedAt) &&
          sameTime(doc.doneAt, derived.doneAt) &&
          sameTime(doc.followedUpAt, derived.followedUpAt);
        if (derived.rank < doc.statusRank || (derived.rank === doc.statusRank && sameTimes)) return [];
        const changeAt = derived.followedUpAt ?? derived.doneAt ?? derived.purchasedAt ?? doc.signedUpAt ?? new Date();
        if (derived.rank > doc.statusRank) {
          await events.insertOne({
            _id: `status-${influencerId}-${derived.status}`,
            campaignId: doc.campaignId,
            influencerId,
            type: 'status_change',
            at: changeAt,
            detail: `status ${doc.status} → ${derived.status}`,
            source: 'status model',
            counter: null,
            data: { from: doc.status, to: derived.status },
          });
        }
        const res = await collection.updateOne(
          { _id: influencerId as never, statusRank: doc.statusRank },
          {
            $set: {
              status: derived.status,
              statusRank: derived.rank,
              purchasedAt: derived.purchasedAt,
              doneAt: derived.doneAt,
              followedUpAt: derived.followedUpAt,
            },
          },
        );
        if (res.matchedCount === 1) {
          remember(influencerId, derived.rank);
          if (derived.rank === doc.statusRank) return [];
          return [
            {
              influencerId,
              campaignId: doc.campaignId,
              from: doc.status,
              to: derived.status,
              at: changeAt,
              instagramHandle: doc.instagramHandle,
            },
          ];
        }
      }
      throw new Error(`status of influencer ${influencerId} kept changing under a concurrent writer`);
    },

    async ensureIndexes(): Promise<void> {
      await Influencer.createCollection().catch(ignoreExists);
      await Influencer.syncIndexes();
    },
  };
  return repo;
}
export type InfluencerRepository = ReturnType<typeof influencerRepository>;

function sameTime(a: Date | null | undefined, b: Date | null | undefined): boolean {
  return (a ? new Date(a).getTime() : null) === (b ? b.getTime() : null);
}

function dedupeById(docs: EventDoc[]): EventDoc[] {
  const seen = new Map<string, EventDoc>();
  for (const d of docs) if (!seen.has(d._id)) seen.set(d._id, d);
  return [...seen.values()];
}
