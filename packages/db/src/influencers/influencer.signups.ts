import type { Collection } from 'mongoose';
import type { SignupJob } from '@seedline/domain';
import { duplicateIndexes } from '../mongo-errors.js';
import type { EventDoc } from '../events/event.schema.js';
import type { EventRepository } from '../events/event.repository.js';
import { contactFields, contactUpdates, type ContactJob } from './contact.js';
import { byId, skeleton } from './influencer.defaults.js';
import type { InfluencerDoc } from './influencer.schema.js';
import type { StatusChange, StatusWriter } from './influencer.status.js';

/** What the sign-up writer needs of the influencer repository. */
export interface SignupContext {
  collection: Collection;
  events: EventRepository;
  status: StatusWriter;
  /** records settled documents' facts (the repository's click shortcut) */
  remember(docs: InfluencerDoc[]): void;
  updateAfter(id: string, update: Record<string, unknown>): Promise<InfluencerDoc | null>;
  reconcile(ids: string[], cause?: string, docs?: InfluencerDoc[]): Promise<StatusChange[]>;
  reconcileMany(ids: string[], causeOf: (id: string) => string | undefined): Promise<StatusChange[]>;
}

interface Grouped {
  /** the earliest sign-up's job (its handle and event id are the ones kept) */
  job: SignupJob;
  at: Date;
  contact: ContactJob[];
}

/**
 * Sign-ups, many at once (concurrent jobs share a write). A sign-up usually comes first: its document is
 * inserted whole, listed, with its contact and what it counts as (the insert is its compare-and-set: only one
 * insert of an `_id` succeeds), then its stage-counter move is folded. That is one write to the influencer
 * where an insert and four updates were, and in the database every write re-indexes the whole document.
 * One that exists already (a click came first, or this is a redelivery) gets the sign-up by updates instead.
 * A repeated sign-up finds its entry already there; its email and time zone replace the stored ones only if
 * it was accepted later (contact.ts), so the last accepted sign-up wins in any order.
 */
export function signupWriter(ctx: SignupContext) {
  const { collection, events, status } = ctx;

  /** Inserts whole documents (sorted, like every bulk over influencers); returns the ids that exist already. */
  async function insertNew(docs: InfluencerDoc[]): Promise<Set<string>> {
    const sorted = [...docs].sort(byId);
    try {
      await collection.insertMany(sorted as never[], { ordered: false });
      return new Set();
    } catch (err) {
      const refused = duplicateIndexes(err, sorted.length);
      if (!refused) throw err;
      return new Set([...refused].map((i) => (sorted[i] as InfluencerDoc)._id));
    }
  }

  /** The sign-up applied to documents that exist: updates, then their statuses and stage counters. */
  async function signUpExisting(
    ids: string[],
    byInfluencer: Map<string, Grouped>,
    cause: (id: string) => string,
  ): Promise<StatusChange[]> {
    const ops = ids.map((id) => {
      const { job, at } = byInfluencer.get(id) as Grouped;
      const set = { instagramHandle: job.instagramHandle, listed: true };
      return { updateOne: { filter: { _id: id }, update: { $set: set, $min: { signedUpAt: at } } } };
    });
    const contactOps = ids.flatMap((id) => contactUpdates(id, byInfluencer.get(id)?.contact ?? []));
    const contact = contactOps.length ? collection.bulkWrite(contactOps as never, { ordered: false }) : null;
    // A click or submission may have been applied before the sign-up; listing it moves the counters.
    if (ops.length === 1) {
      // Alone (a quiet moment): the update returns the document, which spares the status its read.
      const [doc] = await Promise.all([ctx.updateAfter(ids[0] as string, ops[0]!.updateOne.update), contact]);
      return ctx.reconcile(ids, cause(ids[0] as string), doc ? [doc] : undefined);
    }
    await Promise.all([collection.bulkWrite(ops as never, { ordered: false }), contact]);
    return ctx.reconcileMany(ids, cause);
  }

  return {
    async apply(jobs: SignupJob[]): Promise<StatusChange[]> {
      const byInfluencer = new Map<string, Grouped>();
      for (const job of jobs) {
        const at = new Date(job.at);
        const prev = byInfluencer.get(job.influencerId);
        byInfluencer.set(job.influencerId, {
          job: prev && prev.at <= at ? prev.job : job,
          at: prev && prev.at < at ? prev.at : at,
          contact: [...(prev?.contact ?? []), job],
        });
      }
      const ids = [...byInfluencer.keys()].sort();
      const entries: EventDoc[] = ids.map((id) => {
        const { job, at } = byInfluencer.get(id) as Grouped;
        return {
          _id: `signup-${id}`,
          campaignId: job.campaignId,
          influencerId: id,
          type: 'signup',
          at,
          detail: `@${job.instagramHandle} signed up`,
          source: `sign-up form (event ${job.eventId})`,
          counter: null,
          data: { instagramHandle: job.instagramHandle, email: job.email ?? null, timezone: job.timezone ?? null },
        };
      });
      // A sign-up's facts alone (signedUpAt) never raise the status, so a whole document has no status entry
      // to write before it: only what it counts as and its counter move.
      const whole = ids.map((id) => {
        const { job, at, contact } = byInfluencer.get(id) as Grouped;
        const doc = { ...skeleton(id, job.campaignId), instagramHandle: job.instagramHandle, listed: true };
        return status.prepared({ ...doc, signedUpAt: at, ...contactFields(contact) });
      });
      const [, taken] = await Promise.all([events.insertNew(entries), insertNew(whole.map((w) => w.doc))]);
      const inserted = whole.filter((w) => !taken.has(w.doc._id));
      await status.fold(inserted.flatMap((w) => (w.transfer ? [w.transfer] : [])));
      ctx.remember(inserted.map((w) => w.doc));
      const rest = ids.filter((id) => taken.has(id));
      const cause = (id: string) => `sign-up ${byInfluencer.get(id)?.job.eventId}`;
      return rest.length ? signUpExisting(rest, byInfluencer, cause) : [];
    },
  };
}
