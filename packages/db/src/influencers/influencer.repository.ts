import type { AnyBulkWriteOperation, Connection } from 'mongoose';
import {
  deriveStatus,
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
import { influencerModel, type InfluencerDoc, type SubmissionSnapshot } from './influencer.schema.js';

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

type Fact = 'firstPurchaseClickAt' | 'firstReviewClickAt';

interface ClickAggregate {
  campaignId: string;
  inc: Partial<Record<Counter, number>>;
  recount: Set<Counter>;
  min: Partial<Record<Fact, Date>>;
  /** the event behind each earliest fact, named on the status change it causes */
  cause: Partial<Record<Fact, string>>;
}

/**
 * Writes of influencer documents. Every function here expects its caller to hold the influencer's lock
 * (the worker's InfluencerLocks) from before its events are inserted until its document is written:
 * FerretDB 1.24 updates a document by read-modify-write without a row lock, so two unserialised writers lose
 * each other's changes, and an event inserted by one writer must not be counted by another's recount before
 * the first has added it.
 */
export function influencerRepository(conn: Connection, events: EventRepository) {
  const Influencer = influencerModel(conn);
  const collection = Influencer.collection;
  // Facts only ever move earlier, so a fact time read from the document is an upper bound for good: a click
  // no earlier than it cannot change the derived status or its times, and needs no read.
  const knownFacts = new Map<string, Partial<Record<Fact, number>>>();
  const remember = (doc: InfluencerDoc) => {
    if (knownFacts.size > 200_000) knownFacts.clear();
    knownFacts.set(doc._id, {
      firstPurchaseClickAt: doc.firstPurchaseClickAt ? new Date(doc.firstPurchaseClickAt).getTime() : undefined,
      firstReviewClickAt: doc.firstReviewClickAt ? new Date(doc.firstReviewClickAt).getTime() : undefined,
    });
  };
  const mayMove = (id: string, min: ClickAggregate['min']) => {
    const known = knownFacts.get(id);
    return (Object.entries(min) as [Fact, Date][]).some(([fact, at]) => {
      const bound = known?.[fact];
      return bound === undefined || at.getTime() < bound;
    });
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
        source: `sign-up form (event ${job.eventId})`,
        counter: null,
        // What the sign-up wrote to the document, so that the document can be rebuilt from its events.
        data: { instagramHandle: job.instagramHandle, email: job.email ?? null, timezone: job.timezone ?? null },
      });
      // A click or submission may have been applied before this sign-up.
      return repo.reconcileStatus(job.influencerId, `sign-up ${job.eventId}`);
    },

    /**
     * Applies many click events: one unordered insert of their timeline entries (the event id is the `_id`,
     * so a redelivered event is reported as a duplicate), then one update per influencer. New events `$inc`
     * their counter; for an event seen before (a redelivery, possibly after a crash between the two writes)
     * the counter is recounted from the events instead, so nothing is lost or counted twice.
     */
    async applyClicks(batch: ClickEvent[]): Promise<ClickBatchOutcome> {
      const docs = dedupeById(batch.map(clickEventDoc));
      const { inserted, duplicates } = await events.insertNew(docs);
      const byInfluencer = new Map<string, ClickAggregate>();
      for (const doc of docs) {
        const counter = doc.counter as Counter;
        let agg = byInfluencer.get(doc.influencerId);
        if (!agg) {
          agg = { campaignId: doc.campaignId, inc: {}, recount: new Set(), min: {}, cause: {} };
          byInfluencer.set(doc.influencerId, agg);
        }
        if (inserted.has(doc._id)) agg.inc[counter] = (agg.inc[counter] ?? 0) + 1;
        else agg.recount.add(counter);
        const fact = FACT_OF[counter];
        if (fact) {
          const prev = agg.min[fact];
          if (!prev || doc.at < prev || (doc.at.getTime() === prev.getTime() && doc._id < (agg.cause[fact] ?? ''))) {
            agg.min[fact] = doc.at;
            agg.cause[fact] = doc._id;
          }
        }
      }
      const ops: AnyBulkWriteOperation[] = [];
      for (const [id, agg] of byInfluencer) {
        const update: Record<string, Record<string, unknown> | undefined> = {};
        if (Object.keys(agg.inc).length) update.$inc = agg.inc;
        if (Object.keys(agg.min).length) update.$min = agg.min;
        if (agg.min.firstPurchaseClickAt) update.$set = { purchased: true };
        ops.push({ updateOne: { filter: { _id: id }, update: insertDefaults(agg.campaignId, update), upsert: true } });
      }
      await bulkWriteInChunks(collection, ops as never[]);
      await Promise.all([...byInfluencer].flatMap(([id, agg]) => [...agg.recount].map((counter) => repo.recount(id, counter))));
      const moved = [...byInfluencer].filter(([id, agg]) => mayMove(id, agg.min));
      const found = await Promise.all(
        moved.map(([id, agg]) => {
          const cause = agg.cause.firstReviewClickAt ?? agg.cause.firstPurchaseClickAt;
          return repo.reconcileStatus(id, cause ? `click ${cause.replace(/^click-/, '')}` : undefined);
        }),
      );
      return { applied: inserted.size, duplicates: duplicates.size, changes: found.flat() };
    },

    /**
     * Records a submission verdict. A redelivered submission keeps the verdict it was first recorded with
     * (the campaign's requirements may have changed since), so its effects are the same however often it runs.
     */
    async applySubmission(job: SubmissionJob, verdict: Verdict, postUrl: string): Promise<StatusChange[]> {
      const at = new Date(job.at);
      const entry: EventDoc = {
        _id: `submission-${job.eventId}`,
        campaignId: job.campaignId,
        influencerId: job.influencerId,
        type: verdict.accepted ? 'submission_accepted' : 'submission_rejected',
        at,
        detail: verdict.accepted ? `post accepted: ${postUrl}` : `post rejected: ${verdict.reasons.join('; ')}`,
        source: `submission form (event ${job.eventId})`,
        counter: null,
        data: { submissionId: job.eventId, postUrl, caption: job.caption ?? null, reasons: verdict.reasons },
      };
      const recorded = (await events.insertOne(entry)) ? entry : ((await events.findById(entry._id)) ?? entry);
      const accepted = recorded.type === 'submission_accepted';
      const snapshot: SubmissionSnapshot = {
        id: job.eventId,
        postUrl,
        caption: job.caption ?? null,
        accepted,
        reasons: Array.isArray(recorded.data?.reasons) ? (recorded.data.reasons as string[]) : verdict.reasons,
        at,
      };
      const current = await repo.findById(job.influencerId);
      const update: Record<string, Record<string, unknown>> = {};
      if (accepted) update.$min = { acceptedAt: at };
      if (shows(snapshot, current?.submission ?? null)) update.$set = { submission: snapshot };
      if (Object.keys(update).length) {
        await collection.updateOne({ _id: job.influencerId as never }, insertDefaults(job.campaignId, update), { upsert: true });
      }
      return repo.reconcileStatus(job.influencerId, `submission ${job.eventId}`);
    },

    /**
     * Recomputes the whole document from the influencer's events: counters, facts, sign-up fields and the
     * submission shown, then the status. The repair for a write that may have been lost (a writer whose lock
     * lapsed while FerretDB still ran its update); the caller holds the lock.
     */
    async rebuild(influencerId: string): Promise<StatusChange[]> {
      const entries = await events.forInfluencer(influencerId);
      const first = entries[0];
      if (!first) return [];
      const counts: Record<Counter, number> = { purchaseClicks: 0, reviewClicks: 0, botClicks: 0, remindersSent: 0 };
      const earliest: Partial<Record<'signedUpAt' | 'firstPurchaseClickAt' | 'acceptedAt' | 'firstReviewClickAt', Date>> = {};
      const FACT_OF_TYPE = { signup: 'signedUpAt', purchase_click: 'firstPurchaseClickAt', submission_accepted: 'acceptedAt', review_click: 'firstReviewClickAt' } as const;
      let shown: SubmissionSnapshot | null = null;
      const set: Record<string, unknown> = {};
      for (const e of entries) {
        if (e.counter) counts[e.counter]++;
        const fact = FACT_OF_TYPE[e.type as keyof typeof FACT_OF_TYPE];
        const at = new Date(e.at);
        if (fact && (!earliest[fact] || at < (earliest[fact] as Date))) earliest[fact] = at;
        if (e.type === 'signup') {
          set.listed = true;
          for (const key of ['instagramHandle', 'email', 'timezone'] as const) if (e.data?.[key]) set[key] = e.data[key];
        }
        if ((e.type === 'submission_accepted' || e.type === 'submission_rejected') && e.data) {
          const candidate: SubmissionSnapshot = {
            id: String(e.data.submissionId),
            postUrl: String(e.data.postUrl),
            caption: (e.data.caption as string | null | undefined) ?? null,
            accepted: e.type === 'submission_accepted',
            reasons: (e.data.reasons as string[] | undefined) ?? [],
            at,
          };
          if (shows(candidate, shown)) shown = candidate;
        }
      }
      Object.assign(set, counts, earliest, { purchased: Boolean(earliest.firstPurchaseClickAt) });
      if (shown) set.submission = shown;
      await collection.updateOne({ _id: influencerId as never }, insertDefaults(first.campaignId, { $set: set }), { upsert: true });
      return repo.reconcileStatus(influencerId, 'rebuilt from its events');
    },

    /** Recomputes a counter from the events (exact while the influencer's lock is held). */
    async recount(influencerId: string, counter: Counter): Promise<void> {
      const n = await events.count(influencerId, counter);
      await collection.updateOne({ _id: influencerId as never }, { $max: { [counter]: n } });
    },

    /**
     * Raises the stored status to what the facts imply. The timeline entry is written first (its id is
     * deterministic), then the status, so a crash between the two leaves no duplicate entry and the next
     * delivery finishes the change.
     */
    async reconcileStatus(influencerId: string, cause?: string): Promise<StatusChange[]> {
      for (let attempt = 0; attempt < 5; attempt++) {
        const doc = await repo.findById(influencerId);
        if (!doc) return [];
        remember(doc);
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
            source: cause ? `status model (${cause})` : 'status model',
            counter: null,
            data: { from: doc.status, to: derived.status },
          });
        }
        // The rank in the filter still guards MongoDB against a writer that does not hold the lock.
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

const FACT_OF: Partial<Record<Counter, Fact>> = { purchaseClicks: 'firstPurchaseClickAt', reviewClicks: 'firstReviewClickAt' };

/**
 * Which submission the influencer's snapshot shows: an accepted one over a rejected one, then the latest,
 * then (same time) the larger id, so the choice does not depend on the order submissions are processed in.
 */
function shows(candidate: SubmissionSnapshot, shown: SubmissionSnapshot | null): boolean {
  if (!shown) return true;
  if (candidate.accepted !== shown.accepted) return candidate.accepted;
  const a = candidate.at.getTime();
  const b = new Date(shown.at).getTime();
  return a > b || (a === b && candidate.id >= shown.id);
}

function sameTime(a: Date | null | undefined, b: Date | null | undefined): boolean {
  return (a ? new Date(a).getTime() : null) === (b ? b.getTime() : null);
}

function dedupeById(docs: EventDoc[]): EventDoc[] {
  const seen = new Map<string, EventDoc>();
  for (const d of docs) if (!seen.has(d._id)) seen.set(d._id, d);
  return [...seen.values()];
}
