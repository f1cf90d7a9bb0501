import type { Connection } from 'mongoose';
import type { UnsubscribeJob } from '@seedline/domain';
import type { EventRepository } from '../events/event.repository.js';
import { influencerModel } from '../influencers/influencer.schema.js';

export const unsubscribeEventId = (influencerId: string) => `unsubscribe-${influencerId}`;

/**
 * Unsubscribes from a campaign's reminders. The timeline entry (one per influencer: its id is fixed, so a
 * repeat changes nothing) is the source of truth the sender checks; `unsubscribedAt` on the influencer shows
 * it in lists, and only ever moves earlier. The caller holds the influencer's lock.
 */
export function unsubscribeRepository(conn: Connection, events: EventRepository) {
  const influencers = influencerModel(conn).collection;
  return {
    async apply(job: UnsubscribeJob): Promise<{ first: boolean }> {
      const at = new Date(job.at);
      const first = await events.insertOne({
        _id: unsubscribeEventId(job.influencerId),
        campaignId: job.campaignId,
        influencerId: job.influencerId,
        type: 'unsubscribed',
        at,
        detail: 'unsubscribed from reminders of this campaign',
        source:
          job.via === 'one-click'
            ? `one-click unsubscribe (event ${job.eventId})`
            : `unsubscribe page (event ${job.eventId})`,
        counter: null,
        data: { via: job.via },
      });
      const recorded = first ? at : new Date((await events.findById(unsubscribeEventId(job.influencerId)))?.at ?? at);
      await influencers.updateOne({ _id: job.influencerId as never }, { $min: { unsubscribedAt: recorded } });
      return { first };
    },
    async isUnsubscribed(influencerId: string): Promise<boolean> {
      return (await events.findById(unsubscribeEventId(influencerId))) !== null;
    },
  };
}
export type UnsubscribeRepository = ReturnType<typeof unsubscribeRepository>;
