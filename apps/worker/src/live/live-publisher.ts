import type { Redis } from 'ioredis';
import type { StatusChange } from '@seedline/db';
import { groupBy, type StatusChangeEvent } from '@seedline/domain';
import { LIVE_STREAM_MAXLEN, liveStreamKey, touchLiveSummaries } from '@seedline/runtime';

/** How far back a repeated job's changes are looked for in the stream (it keeps LIVE_STREAM_MAXLEN). */
const RECENT_ENTRIES = 5000;

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

  /**
   * Rebuilt changes (a repeated job's, see ClickBatchOutcome.repeated) that the campaign's stream does not hold
   * yet among its latest RECENT_ENTRIES: a worker killed between its status write and its publish left them out.
   * Rare (redeliveries only), so the look-back read costs the normal path nothing.
   */
  async publishMissing(changes: StatusChange[]): Promise<StatusChange[]> {
    const missing: StatusChange[] = [];
    for (const [campaignId, ofCampaign] of groupBy(changes, (c) => c.campaignId)) {
      const recent = await this.redis.xrevrange(
        liveStreamKey(this.prefix, campaignId),
        '+',
        '-',
        'COUNT',
        RECENT_ENTRIES,
      );
      const published = new Set<string>();
      for (const [, fields] of recent) {
        const data = fields[0] === 'data' ? fields[1] : undefined;
        if (!data) continue;
        const e = JSON.parse(data) as StatusChangeEvent;
        published.add(`${e.influencerId} ${e.status}`);
      }
      missing.push(...ofCampaign.filter((c) => !published.has(`${c.influencerId} ${c.to}`)));
    }
    missing.sort((a, b) => a.at.getTime() - b.at.getTime());
    await this.publish(missing);
    return missing;
  }

  /** The campaigns' summaries moved without a status change (sign-ups, reimbursement moves). */
  summaryMoved(campaignIds: Iterable<string>): Promise<void> {
    return touchLiveSummaries(this.redis, this.prefix, campaignIds);
  }
}
