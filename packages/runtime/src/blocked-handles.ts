import type { Redis } from 'ioredis';
import { WriteBatcher } from './write-batcher.js';

/** Where a brand's blocked handles are read from when Redis has none or cannot answer (the database). */
export interface BlockedSource {
  handlesFor(brandId: string): Promise<string[]>;
  isBlocked(brandId: string, handle: string): Promise<boolean>;
}

/** A member no handle can be (handles are `a-z 0-9 . _`): present only in a set loaded whole from the database. */
const LOADED = '#loaded';

export const blockedHandlesKey = (prefix: string, brandId: string): string => `${prefix}:blocked:${brandId}`;

/**
 * A brand's blocked Instagram handles as a Redis set, so a sign-up costs one SMISMEMBER instead of a database
 * read. The database is the record of truth: a writer stores there first, then adds to the set; a set without
 * the `#loaded` marker (never loaded, expired, or created by a writer's SADD) is rebuilt from the database
 * (writers only ever add, so a rebuild racing a writer still ends with both). Sets expire, so even an add lost
 * with Redis (AOF loses about a second on a hard kill) is re-read within `ttlSeconds`. When Redis cannot
 * answer, the database is asked directly.
 */
export class BlockedHandles {
  /**
   * Look-ups of one event-loop tick share one SMISMEMBER per brand (and one write to the socket): under a
   * burst of sign-ups that is one command for many, where each cost a command and a round trip of its own.
   */
  private readonly batches: WriteBatcher<{ brandId: string; handle: string }, Set<string>>;

  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly source: BlockedSource,
    private readonly ttlSeconds = 600,
  ) {
    this.batches = new WriteBatcher((asked) => this.lookUp(asked), { maxItems: 1000, maxInFlight: 2 });
  }

  async isBlocked(brandId: string, handle: string): Promise<boolean> {
    return (await this.batches.add([{ brandId, handle }])).has(`${brandId} ${handle}`);
  }

  /** The blocked ones among the asked handles, as `brandId handle` keys. */
  private async lookUp(asked: { brandId: string; handle: string }[]): Promise<Set<string>> {
    const byBrand = new Map<string, Set<string>>();
    for (const { brandId, handle } of asked) byBrand.set(brandId, (byBrand.get(brandId) ?? new Set()).add(handle));
    const blocked = new Set<string>();
    await Promise.all(
      [...byBrand].map(async ([brandId, handles]) => {
        const list = [...handles];
        const answers = await this.brandLookUp(brandId, list);
        list.forEach((h, i) => answers[i] && blocked.add(`${brandId} ${h}`));
      }),
    );
    return blocked;
  }

  private async brandLookUp(brandId: string, handles: string[]): Promise<boolean[]> {
    const key = blockedHandlesKey(this.prefix, brandId);
    let answer: number[];
    try {
      answer = await this.redis.smismember(key, LOADED, ...handles);
    } catch {
      return Promise.all(handles.map((h) => this.source.isBlocked(brandId, h)));
    }
    if (answer[0] === 1) return handles.map((_, i) => answer[i + 1] === 1);
    const all = await this.source.handlesFor(brandId);
    try {
      await this.redis
        .multi()
        .sadd(key, LOADED, ...all)
        .expire(key, this.ttlSeconds)
        .exec();
    } catch {
      // (the next sign-up loads it again)
    }
    const set = new Set(all);
    return handles.map((h) => set.has(h));
  }

  /** After the database stored the blocks: adds them to the set (throws when Redis cannot take them). */
  async add(brandId: string, handles: readonly string[]): Promise<void> {
    if (handles.length === 0) return;
    await this.redis.sadd(blockedHandlesKey(this.prefix, brandId), ...handles);
  }
}
