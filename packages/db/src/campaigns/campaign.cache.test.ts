import { describe, expect, it } from 'vitest';
import { CampaignCache } from './campaign.cache.js';
import type { CampaignDoc } from './campaign.schema.js';

/** A repository whose reads finish when the test says so, to order a read against an invalidation. */
function heldRepository() {
  let productUrl = 'https://example.com/v1';
  const held: (() => void)[] = [];
  return {
    set: (url: string) => (productUrl = url),
    /** finishes the reads held, the newest first when `newestFirst` */
    release: (newestFirst = false) => {
      const reads = held.splice(0);
      (newestFirst ? reads.reverse() : reads).forEach((go) => go());
    },
    repo: {
      findById: (id: string) => {
        const read = { _id: id, productUrl, reviewUrl: 'https://example.com/r' } as unknown as CampaignDoc;
        return new Promise<CampaignDoc>((resolve) => held.push(() => resolve(read)));
      },
    },
  };
}

describe('campaign cache invalidation', () => {
  it('reloads after invalidate, and a read begun before the change never counts as fresh', async () => {
    const db = heldRepository();
    const cache = new CampaignCache(db.repo, 3_600_000);
    const first = cache.get('c1');
    db.release();
    expect((await first)?.productUrl).toBe('https://example.com/v1');
    expect(cache.peek('c1')?.productUrl).toBe('https://example.com/v1');

    // A read starts, the campaign changes and the change is announced, a new read starts, and the old read
    // lands last: it must not be stored as fresh over the new one.
    cache.invalidate('c1');
    expect(cache.peek('c1')).toBeUndefined();
    const stale = cache.get('c1');
    db.set('https://example.com/v2');
    cache.invalidate('c1');
    const fresh = cache.get('c1');
    db.release(true);
    expect((await fresh)?.productUrl).toBe('https://example.com/v2');
    expect((await stale)?.productUrl).toBe('https://example.com/v1');
    const now = cache.peek('c1') ?? (await cache.get('c1'));
    db.release();
    expect(now?.productUrl).toBe('https://example.com/v2');
  });

  it('drops every entry on invalidateAll', async () => {
    const db = heldRepository();
    const cache = new CampaignCache(db.repo, 3_600_000);
    const loads = [cache.get('a'), cache.get('b')];
    db.release();
    await Promise.all(loads);
    cache.invalidateAll();
    expect(cache.peek('a')).toBeUndefined();
    expect(cache.peek('b')).toBeUndefined();
  });
});
