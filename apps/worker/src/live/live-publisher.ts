import type { Redis } from 'ioredis';
import type { StatusChange } from '@seedline/db';
import type { StatusChangeEvent } from '@seedline/domain';
import { LIVE_STREAM_MAXLEN, liveStreamKey, touchLiveSummaries } from '@seedline/runtime';

/**
 * Appends status changes (and summary moves) to the campaign's live stream, which the API turns into server-sent
 * events.
 */
export class LivePublisher {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  async publish(changes: StatusChange[]): Promise<void> {
    if (changes.length === 0) return;
    const pipeline = this.redis.pipeline();
    for (const c of changes) {
      const event: StatusChangeEvent = {
        influencerId: c.influencerId,
        instagramHandle: c.instagramHandle,
        from: c.from,
        status: c.to,
        at: c.at.toISOString(),
      };
      pipeline.xadd(
        liveStreamKey(this.prefix, c.campaignId),
        'MAXLEN',
        '~',
        LIVE_STREAM_MAXLEN,
        '*',
        'data',
        JSON.stringify(event),
      );
    }
    await pipeline.exec();
  }

  /** The campaigns' summaries moved without a status change (sign-ups, reimbursement moves). */
  summaryMoved(campaignIds: Iterable<string>): Promise<void> {
    return touchLiveSummaries(this.redis, this.prefix, campaignIds);
  }
}
