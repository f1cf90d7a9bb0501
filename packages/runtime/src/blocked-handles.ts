import type { Redis } from 'ioredis';

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
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly source: BlockedSource,
    private readonly ttlSeconds = 600,
  ) {}

  async isBlocked(brandId: string, handle: string): Promise<boolean> {
    const key = blockedHandlesKey(this.prefix, brandId);
    let answer: number[];
    try {
      answer = await this.redis.smismember(key, LOADED, handle);
    } catch {
      return this.source.isBlocked(brandId, handle);
    }
    if (answer[0] === 1) return answer[1] === 1;
    const handles = await this.source.handlesFor(brandId);
    try {
      await this.redis
        .multi()
        .sadd(key, LOADED, ...handles)
        .expire(key, this.ttlSeconds)
        .exec();
    } catch {
      // (the next sign-up loads it again)
    }
    return handles.includes(handle);
  }

  /** After the database stored the blocks: adds them to the set (throws when Redis cannot take them). */
  async add(brandId: string, handles: readonly string[]): Promise<void> {
    if (handles.length === 0) return;
    await this.redis.sadd(blockedHandlesKey(this.prefix, brandId), ...handles);
  }
}
