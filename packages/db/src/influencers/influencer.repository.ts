import type { Connection } from 'mongoose';
import type { ClickEvent, SignupJob, SubmissionJob, Verdict } from '@seedline/domain';
import { insertNew, ignoreExists } from '../mongo-errors.js';
import type { StageCounters } from '../counters/stage-counters.js';
import type { EventDoc } from '../events/event.schema.js';
import type { EventRepository } from '../events/event.repository.js';
import type { ClickAggregate, Fact } from './click-events.js';
import { clickCounts } from './click-counts.js';
import { skeleton } from './influencer.defaults.js';
import { influencerModel, type InfluencerDoc, type SubmissionSnapshot } from './influencer.schema.js';
import { shows } from './submission-choice.js';
import { clickWriter, type ClickBatchOutcome } from './influencer.clicks.js';
import { signupWriter } from './influencer.signups.js';
import { statusWriter, type StatusChange } from './influencer.status.js';

export type { StatusChange } from './influencer.status.js';
export type { ClickBatchOutcome } from './influencer.clicks.js';

/** What a submission verified on Instagram records beside its verdict (see applySubmission). */
export interface SubmissionExtras {
  /** waiting for Instagram: recorded and shown as `pending`, not judged */
  pending?: boolean;
  verification?: 'verified' | null;
  media?: SubmissionSnapshot['media'];
  source?: 'form' | 'instagram';
  /** the timeline entry's source */
  sourceLabel?: string;
  /**
   * When the verdict was reached, if later than the submission (Instagram verified it after a wait): the
   * entry's time and, for an accepted post, `acceptedAt` (so `doneAt`). The submission keeps its own time for
   * which submission is shown.
   */
  decidedAt?: Date;
}

/**
 * Writes of influencer documents, safe for any number of concurrent writers without locks: updates are
 * atomic per document, facts only move earlier (`$min`), counters only up to the number of their events
 * (`$max` of a count taken after the events were stored, so a redelivery or a crash between the two writes
 * neither loses nor doubles a count), and the status with its stage-counter move goes through one
 * compare-and-set (influencer.status.ts).
 */
export function influencerRepository(conn: Connection, events: EventRepository, counters: StageCounters) {
  const Influencer = influencerModel(conn);
  const collection = Influencer.collection;
  const status = statusWriter(conn, events, counters);
  const counts = clickCounts(conn);
  // Facts only ever move earlier, so a fact time read from a settled document is an upper bound for good: a
  // click no earlier than it cannot change the derived status or its times, and needs no read.
  const knownFacts = new Map<string, Partial<Record<Fact, number>>>();
  const remember = (docs: InfluencerDoc[]) => {
    if (knownFacts.size > 200_000) knownFacts.clear();
    for (const doc of docs) {
      knownFacts.set(doc._id, {
        firstPurchaseClickAt: doc.firstPurchaseClickAt ? new Date(doc.firstPurchaseClickAt).getTime() : undefined,
        firstReviewClickAt: doc.firstReviewClickAt ? new Date(doc.firstReviewClickAt).getTime() : undefined,
      });
    }
  };
  const mayMove = (id: string, min: ClickAggregate['min']) => {
    const known = knownFacts.get(id);
    return (Object.entries(min) as [Fact, Date][]).some(([fact, at]) => {
      const bound = known?.[fact];
      return bound === undefined || at.getTime() < bound;
    });
  };
  const updateAfter = (id: string, update: Record<string, unknown>) =>
    collection.findOneAndUpdate({ _id: id as never }, update, {
      returnDocument: 'after',
    }) as Promise<InfluencerDoc | null>;
  /** Inserts the documents that do not exist yet (sorted, like every bulk: see applyClicks). */
  const ensure = async (campaignOf: Map<string, string>) => {
    const docs = [...campaignOf]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([id, campaignId]) => skeleton(id, campaignId));
    await insertNew(collection, docs as never[]);
  };
  /** A bulk of idempotent updates; documents missing are created and the bulk sent again. */
  const updateAll = async (
    ops: { updateOne: { filter: { _id: string }; update: Record<string, unknown> } }[],
    campaignOf: Map<string, string>,
  ) => {
    const res = await collection.bulkWrite(ops as never, { ordered: false });
    if (res.matchedCount === ops.length) return;
    await ensure(campaignOf);
    await collection.bulkWrite(ops as never, { ordered: false });
  };

  const repo = {
    async findById(id: string): Promise<InfluencerDoc | null> {
      return Influencer.findById(id).lean<InfluencerDoc>().exec();
    },

    async applySignup(job: SignupJob): Promise<StatusChange[]> {
      return repo.applySignups([job]);
    },

    /** Applies many sign-ups (concurrent jobs share it): see influencer.signups.ts. */
    applySignups: (jobs: SignupJob[]): Promise<StatusChange[]> => signups.apply(jobs),

    /** Applies many click events (see influencer.clicks.ts). */
    applyClicks: (batch: ClickEvent[]): Promise<ClickBatchOutcome> => clicks.apply(batch),

    /**
     * The status moves recorded for these influencers, rebuilt as changes from their entries: what a worker
     * killed between a status write and its announcement never announced (the repeat announces them again).
     */
    async recordedChanges(ids: string[]): Promise<StatusChange[]> {
      const [entries, docs] = await Promise.all([events.statusEntriesOf(ids), ids.length ? status.readAll(ids) : []]);
      const handleOf = new Map(docs.map((d) => [d._id, d.instagramHandle]));
      return entries.flatMap((e) => {
        const data = e.data as { from?: StatusChange['from']; to?: StatusChange['to'] } | null;
        if (!data?.from || !data.to) return [];
        return [
          {
            influencerId: e.influencerId,
            campaignId: e.campaignId,
            from: data.from,
            to: data.to,
            at: e.at,
            instagramHandle: handleOf.get(e.influencerId) ?? null,
            source: e.source,
          },
        ];
      });
    },

    /**
     * Records a submission verdict. A redelivered submission keeps the verdict it was first recorded with
     * (the campaign's requirements may have changed since), so its effects are the same however often it runs.
     * `extras.pending` records a submission waiting for Instagram instead (shown as pending, not judged).
     */
    async applySubmission(
      job: SubmissionJob,
      verdict: Verdict,
      postUrl: string,
      extras: SubmissionExtras = {},
    ): Promise<StatusChange[]> {
      const at = new Date(job.at);
      const decidedAt = extras.decidedAt && extras.decidedAt > at ? extras.decidedAt : at;
      const pending = extras.pending === true;
      const entry: EventDoc = {
        _id: pending ? `submission-${job.eventId}-pending` : `submission-${job.eventId}`,
        campaignId: job.campaignId,
        influencerId: job.influencerId,
        type: pending ? 'submission_pending' : verdict.accepted ? 'submission_accepted' : 'submission_rejected',
        at: pending ? at : decidedAt,
        detail: pending
          ? `post received: ${postUrl}; verifying it on Instagram`
          : verdict.accepted
            ? `post accepted: ${postUrl}`
            : `post rejected: ${verdict.reasons.join('; ')}`,
        source: extras.sourceLabel ?? `submission form (event ${job.eventId})`,
        counter: null,
        data: {
          submissionId: job.eventId,
          postUrl,
          caption: job.caption ?? null,
          reasons: pending ? [] : verdict.reasons,
          verification: pending ? 'pending' : (extras.verification ?? null),
          media: extras.media ?? null,
          source: extras.source ?? 'form',
        },
      };
      const snapshotOf = (recorded: EventDoc): SubmissionSnapshot => {
        const data = recorded.data ?? {};
        return {
          id: job.eventId,
          postUrl,
          caption: job.caption ?? null,
          accepted: recorded.type === 'submission_accepted',
          reasons: Array.isArray(data.reasons) ? (data.reasons as string[]) : verdict.reasons,
          at,
          verification: (data.verification as SubmissionSnapshot['verification']) ?? null,
          media: (data.media as SubmissionSnapshot['media']) ?? null,
          source: data.source === 'instagram' ? 'instagram' : 'form',
        };
      };
      const cause = `submission ${job.eventId}`;
      /** The submission shown and, when it moves the status, the move: one compare-and-set (issue 24). */
      /** `acceptedAt`: the accepted entry's time (its verdict's), which a redelivery reads back as recorded. */
      const writeWithMove = (
        current: InfluencerDoc,
        snapshot: SubmissionSnapshot,
        acceptedAt: Date,
        first: EventDoc[] = [],
      ) => {
        const merged: InfluencerDoc = { ...current, submission: snapshot };
        const update: Record<string, Record<string, unknown>> = { $set: { submission: snapshot } };
        if (snapshot.accepted) {
          update.$min = { acceptedAt };
          if (!(current.acceptedAt && new Date(current.acceptedAt).getTime() <= acceptedAt.getTime()))
            merged.acceptedAt = acceptedAt;
        }
        const filter = { 'submission.id': current.submission?.id ?? null };
        return status.writeWith([{ merged, update, cause, filter }], first);
      };
      // An accepted post read first: its entry, the status entry and the move take one insert and one
      // compare-and-set (every statement costs the database CPU, issue 24). The entry goes first in an ordered
      // insert, so when it was recorded before (a redelivery, maybe with another verdict) nothing else is
      // written here and the path below reads what was recorded. Anything else takes the path below.
      const read = await repo.findById(job.influencerId);
      let reuse = read;
      if (read && !pending && verdict.accepted && shows(snapshotOf(entry), read.submission)) {
        const fast = await writeWithMove(read, snapshotOf(entry), entry.at, [entry]);
        if (fast.firstStored && fast.unwritten.length === 0) {
          remember(fast.settled);
          return fast.changes;
        }
        // Stored but the compare-and-set lost: the document changed, read it again below.
        if (fast.firstStored) reuse = null;
      }
      const recorded = (await events.insertOne(entry)) ? entry : ((await events.findById(entry._id)) ?? entry);
      const accepted = recorded.type === 'submission_accepted';
      const acceptedAt = new Date(recorded.at);
      const snapshot = snapshotOf(recorded);
      // The snapshot shown is replaced by a compare-and-set on the one read, so concurrent submissions
      // settle on the same choice whatever their order.
      for (let attempt = 0; attempt < 8; attempt++) {
        const current = attempt === 0 && reuse ? reuse : await repo.findById(job.influencerId);
        if (!current) {
          // Submitted before anything else of this influencer was applied: create it, then compare-and-set.
          await ensure(new Map([[job.influencerId, job.campaignId]]));
          continue;
        }
        const update: Record<string, Record<string, unknown>> = {};
        if (accepted) update.$min = { acceptedAt };
        if (!shows(snapshot, current.submission)) {
          if (!accepted) return repo.reconcile([job.influencerId], cause, [current]);
          const doc = await updateAfter(job.influencerId, update);
          return repo.reconcile([job.influencerId], cause, doc ? [doc] : undefined);
        }
        update.$set = { submission: snapshot };
        // With a status move, one compare-and-set; no move, or the document changed in between: the
        // submission alone, then a reconcile.
        const written = await writeWithMove(current, snapshot, acceptedAt);
        if (written.unwritten.length === 0) {
          remember(written.settled);
          return written.changes;
        }
        const shown = { 'submission.id': current.submission?.id ?? null };
        const doc = (await collection.findOneAndUpdate({ _id: job.influencerId as never, ...shown }, update, {
          returnDocument: 'after',
        })) as InfluencerDoc | null;
        // No document: another submission was shown in between; look again.
        if (doc) return repo.reconcile([job.influencerId], cause, [doc]);
      }
      throw new Error(`submission shown for influencer ${job.influencerId} kept changing`);
    },

    /** Raises the stored status (and the stage counters) to what the facts imply. */
    async reconcile(ids: string[], cause?: string, docs?: InfluencerDoc[]): Promise<StatusChange[]> {
      const { changes, settled } = await status.reconcile(ids, () => cause, docs);
      remember(settled);
      return changes;
    },

    async reconcileMany(ids: string[], causeOf: (id: string) => string | undefined): Promise<StatusChange[]> {
      const { changes, settled } = await status.reconcile(ids, causeOf);
      remember(settled);
      return changes;
    },

    /** Kept for callers that reconcile one influencer (the recount, reminders). */
    async reconcileStatus(influencerId: string, cause?: string): Promise<StatusChange[]> {
      return repo.reconcile([influencerId], cause);
    },

    async ensureIndexes(): Promise<void> {
      await Influencer.createCollection().catch(ignoreExists);
      await Influencer.syncIndexes();
      await counts.ensureCollection();
    },
  };
  const clicks = clickWriter({
    events,
    status,
    counts,
    mayMove,
    remember,
    updateAll,
    reconcileMany: (ids, causeOf) => repo.reconcileMany(ids, causeOf),
  });
  const signups = signupWriter({
    collection,
    events,
    status,
    remember,
    updateAfter,
    reconcile: (ids, cause, docs) => repo.reconcile(ids, cause, docs),
    reconcileMany: (ids, causeOf) => repo.reconcileMany(ids, causeOf),
  });
  return repo;
}
export type InfluencerRepository = ReturnType<typeof influencerRepository>;
