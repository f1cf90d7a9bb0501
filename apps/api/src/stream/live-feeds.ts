import type { Logger } from 'pino';
import type { LiveEntry, LiveHub, LiveListener } from './live-hub.js';
import type { SseSession } from './sse-session.js';

export type SummaryOf = (campaignId: string) => Promise<unknown>;

/**
 * The sessions of one campaign share one hub subscription and one summary computation: after status changes
 * the summary is recomputed at most once per `minIntervalMs`, however many browsers watch, and never more
 * than a third of the time (a summary reads the campaign's counters, cheap at any size, but a burst of
 * status changes still needs only one; status events are not held back by it).
 */
class CampaignFeed implements LiveListener {
  readonly sessions = new Set<SseSession>();
  private timer: NodeJS.Timeout | null = null;
  private computing = false;
  private dirty = false;
  private lastRunAt = 0;
  private lastDurationMs = 0;
  leave: (() => void) | null = null;

  constructor(
    private readonly campaignId: string,
    private readonly summaryOf: SummaryOf,
    private readonly minIntervalMs: number,
    private readonly logger: Logger,
  ) {}

  deliver(entries: LiveEntry[]): void {
    for (const session of this.sessions) session.deliver(entries);
    this.dirty = true;
    this.schedule();
  }

  private schedule(): void {
    if (this.timer || this.computing) return;
    const gap = Math.max(this.minIntervalMs, 3 * this.lastDurationMs);
    const wait = Math.max(0, this.lastRunAt + gap - Date.now());
    this.timer = setTimeout(() => void this.flush(), wait);
  }

  private async flush(): Promise<void> {
    this.timer = null;
    if (!this.dirty || this.sessions.size === 0) return;
    this.dirty = false;
    this.computing = true;
    this.lastRunAt = Date.now();
    try {
      const summary = await this.summaryOf(this.campaignId);
      for (const session of this.sessions) if (session.isLive) session.summary(summary);
    } catch (err) {
      this.logger.warn({ campaignId: this.campaignId, err: (err as Error).message }, 'live summary failed');
      this.dirty = true;
    } finally {
      this.computing = false;
      this.lastDurationMs = Date.now() - this.lastRunAt;
    }
    if (this.dirty) this.schedule();
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }
}

export class TooManyStreams extends Error {}

export class LiveFeeds {
  private feeds = new Map<string, CampaignFeed>();
  private joining = new Map<string, Promise<CampaignFeed>>();
  private perBrand = new Map<string, number>();
  private heartbeat: NodeJS.Timeout;

  constructor(
    private readonly hub: LiveHub,
    private readonly summaryOf: SummaryOf,
    private readonly logger: Logger,
    private readonly opts: { heartbeatMs: number; maxPerBrand: number; minSummaryIntervalMs?: number },
  ) {
    this.heartbeat = setInterval(() => {
      for (const feed of this.feeds.values()) for (const session of feed.sessions) session.ping();
    }, opts.heartbeatMs);
    this.heartbeat.unref();
  }

  get openSessions(): number {
    let n = 0;
    for (const feed of this.feeds.values()) n += feed.sessions.size;
    return n;
  }

  /** Throws TooManyStreams past the brand's limit; the session leaves by itself when it closes. */
  reserve(brandId: string): () => void {
    const n = this.perBrand.get(brandId) ?? 0;
    if (n >= this.opts.maxPerBrand) throw new TooManyStreams();
    this.perBrand.set(brandId, n + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const left = (this.perBrand.get(brandId) ?? 1) - 1;
      if (left <= 0) this.perBrand.delete(brandId);
      else this.perBrand.set(brandId, left);
    };
  }

  /** Adds the session to its campaign's feed; entries that follow reach it (held until it is released). */
  async join(session: SseSession): Promise<void> {
    const feed = await this.feedFor(session.campaignId);
    if (session.isClosed) {
      this.dropIfEmpty(session.campaignId, feed);
      return;
    }
    feed.sessions.add(session);
    session.onClose(() => {
      feed.sessions.delete(session);
      this.dropIfEmpty(session.campaignId, feed);
    });
  }

  summary(campaignId: string): Promise<unknown> {
    return this.summaryOf(campaignId);
  }

  close(): void {
    clearInterval(this.heartbeat);
    for (const feed of this.feeds.values()) {
      feed.stop();
      for (const session of [...feed.sessions]) session.close();
    }
  }

  private async feedFor(campaignId: string): Promise<CampaignFeed> {
    const existing = this.feeds.get(campaignId);
    if (existing) return existing;
    let pending = this.joining.get(campaignId);
    if (!pending) {
      pending = (async () => {
        const feed = new CampaignFeed(campaignId, this.summaryOf, this.opts.minSummaryIntervalMs ?? 250, this.logger);
        feed.leave = await this.hub.subscribe(campaignId, feed);
        this.feeds.set(campaignId, feed);
        return feed;
      })().finally(() => this.joining.delete(campaignId));
      this.joining.set(campaignId, pending);
    }
    return pending;
  }

  private dropIfEmpty(campaignId: string, feed: CampaignFeed): void {
    if (feed.sessions.size > 0 || this.feeds.get(campaignId) !== feed) return;
    this.feeds.delete(campaignId);
    feed.stop();
    feed.leave?.();
  }
}
