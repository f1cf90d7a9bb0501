import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { statusChangeEvent, type StatusChangeEvent } from '@seedline/domain';
import { LIVE_SUMMARY_FIELD, liveStreamKey } from '@seedline/runtime';
import { readLoop } from './read-loop.js';

/**
 * One entry of a campaign's live stream: its id (`<ms>-<seq>`) and the status change it carries, or null for an
 * entry that only says the summary moved (a sign-up, an upload: `touchLiveSummaries`).
 */
export interface LiveEntry {
  id: string;
  change: StatusChangeEvent | null;
}

export interface LiveListener {
  /** entries in stream order, each delivered once */
  deliver(entries: LiveEntry[]): void;
}

interface Channel {
  key: string;
  campaignId: string;
  /** the id of the last entry read for this campaign: the next XREAD asks for what follows it */
  cursor: string;
  listeners: Set<LiveListener>;
}

/** Stream ids compare as (milliseconds, sequence) pairs, not as strings. */
export function compareIds(a: string, b: string): number {
  const [am = 0n, as = 0n] = a.split('-').map(BigInt);
  const [bm = 0n, bs = 0n] = b.split('-').map(BigInt);
  return am === bm ? Number(as - bs) : am < bm ? -1 : 1;
}

export function parseEntries(raw: [string, string[]][], logger: Logger): LiveEntry[] {
  const out: LiveEntry[] = [];
  for (const [id, fields] of raw) {
    if (fields.includes(LIVE_SUMMARY_FIELD)) {
      out.push({ id, change: null });
      continue;
    }
    const at = fields.indexOf('data');
    let parsed: ReturnType<typeof statusChangeEvent.safeParse> | undefined;
    try {
      parsed = statusChangeEvent.safeParse(JSON.parse(fields[at + 1] ?? ''));
    } catch {
      parsed = undefined;
    }
    if (parsed?.success) out.push({ id, change: parsed.data });
    else logger.warn({ id }, 'live stream entry is not a status-change event; skipped');
  }
  return out;
}

/**
 * Reads every watched campaign's live stream with ONE blocking XREAD on a dedicated connection, however many
 * browsers listen: each campaign with listeners is a key of that XREAD. A campaign that gains its first
 * listener must join the read at once, so every XREAD also watches a private wake-up stream that `subscribe`
 * appends to: unlike CLIENT UNBLOCK, a wake-up sent just before the XREAD is issued is not lost.
 */
export class LiveHub {
  private channels = new Map<string, Channel>();
  private running = false;
  private loop: Promise<void> | null = null;
  private readonly wakeKey: string;
  /** the wake-up key is new to this process, so every entry in it is news */
  private wakeCursor = '0-0';
  private wakeIdle: (() => void) | null = null;

  constructor(
    /** blocking reads only: nothing else may use this connection */
    private readonly reader: Redis,
    /** ordinary commands (heads, ranges, wake-ups) */
    private readonly commands: Redis,
    private readonly prefix: string,
    private readonly logger: Logger,
    private readonly opts: { blockMs?: number; batch?: number } = {},
  ) {
    this.wakeKey = `${prefix}:live-wake:${randomUUID()}`;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.running = false;
    await this.interrupt();
    await this.loop?.catch(() => undefined);
    await this.commands.del(this.wakeKey).catch(() => undefined);
  }

  /** The id of the newest entry of a campaign's stream, or `0-0` when it has none. */
  async head(campaignId: string): Promise<string> {
    const last = await this.commands.xrevrange(liveStreamKey(this.prefix, campaignId), '+', '-', 'COUNT', 1);
    return last[0]?.[0] ?? '0-0';
  }

  /** Entries after `afterId` (exclusive), oldest first, at most `limit`. */
  async range(campaignId: string, afterId: string, limit: number): Promise<LiveEntry[]> {
    const raw = await this.commands.xrange(liveStreamKey(this.prefix, campaignId), `(${afterId}`, '+', 'COUNT', limit);
    return parseEntries(raw, this.logger);
  }

  /**
   * Starts delivering the campaign's entries to the listener: those after the campaign's read cursor, which is
   * the stream's head when the campaign was not watched yet. Whatever the listener must see from before that
   * point it reads with `range` itself (and drops duplicates by id). The campaign's key also holds the
   * queue prefix's hash tag, so one XREAD over several campaigns stays in one Redis Cluster slot.
   */
  async subscribe(campaignId: string, listener: LiveListener): Promise<() => void> {
    let channel = this.channels.get(campaignId);
    if (!channel) {
      const cursor = await this.head(campaignId);
      channel = this.channels.get(campaignId); // another subscriber may have won the race
      if (!channel) {
        channel = { key: liveStreamKey(this.prefix, campaignId), campaignId, cursor, listeners: new Set() };
        this.channels.set(campaignId, channel);
        void this.interrupt();
      }
    }
    const joined = channel;
    joined.listeners.add(listener);
    return () => {
      joined.listeners.delete(listener);
      if (joined.listeners.size === 0 && this.channels.get(campaignId) === joined) this.channels.delete(campaignId);
    };
  }

  private async interrupt(): Promise<void> {
    this.wakeIdle?.();
    try {
      await this.commands
        .multi()
        .xadd(this.wakeKey, 'MAXLEN', '~', 10, '*', 'wake', '1')
        .pexpire(this.wakeKey, 3_600_000)
        .exec();
    } catch {
      // The block ends by its own timeout anyway.
    }
  }

  private run(): Promise<void> {
    return readLoop({
      running: () => this.running,
      step: () => this.readOnce(),
      onError: (err, failures) => this.logger.warn({ err: err.message, failures }, 'live stream read failed; retrying'),
      pause: (ms) => this.idle(ms),
    });
  }

  private async readOnce(): Promise<void> {
    const blockMs = this.opts.blockMs ?? 5000;
    const channels = [...this.channels.values()];
    if (channels.length === 0) return this.idle(blockMs);
    const reply = await this.reader.xread(
      'COUNT',
      this.opts.batch ?? 1000,
      'BLOCK',
      blockMs,
      'STREAMS',
      this.wakeKey,
      ...channels.map((c) => c.key),
      this.wakeCursor,
      ...channels.map((c) => c.cursor),
    );
    for (const [key, raw] of reply ?? []) {
      const channel = channels.find((c) => c.key === key);
      const last = raw[raw.length - 1];
      if (key === this.wakeKey && last) this.wakeCursor = last[0];
      if (!channel || !last) continue;
      channel.cursor = last[0];
      const entries = parseEntries(raw, this.logger);
      if (entries.length === 0) continue;
      for (const listener of channel.listeners) {
        try {
          listener.deliver(entries);
        } catch (err) {
          this.logger.warn({ err: (err as Error).message }, 'live listener failed');
        }
      }
    }
  }

  /** Waits, but wakes early when a campaign gains its first listener or the hub stops. */
  private idle(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wakeIdle = () => {
        this.wakeIdle = null;
        done();
      };
    });
  }
}
