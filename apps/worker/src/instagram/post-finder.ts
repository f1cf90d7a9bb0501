import type { FoundVia } from '@seedline/db';
import { samePost, type IgMedia, type IgMediaPage } from '@seedline/domain';
import { GraphError } from '@seedline/runtime';
import type { InstagramContext } from './context.js';

/** Pages read per edge at most: a brand tagged in thousands of posts is read a bounded amount per look-up. */
const MAX_PAGES = 20;

export interface FoundPost {
  media: IgMedia;
  via: FoundVia;
}

/** Every media of a paged edge, page after page (`paging.cursors.after` while `paging.next` is there). */
export async function* pagedMedia(read: (after?: string) => Promise<IgMediaPage>): AsyncGenerator<IgMedia> {
  let after: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const res = await read(after);
    yield* res.data;
    after = res.paging?.cursors?.after;
    if (!res.paging?.next || !after) return;
  }
}

/**
 * Looks for the post (by its shortcode) where the brand's account can see it: mentions received (stored on
 * receipt, `fresh` skips them), the media it is tagged in, then the influencer's own media through business
 * discovery (professional accounts only: any other answers an error, read as not found there).
 */
export async function findPost(
  ig: InstagramContext,
  a: { igUserId: string; token: string },
  handle: string,
  shortcode: string,
  opts: { fresh?: boolean } = {},
): Promise<FoundPost | null> {
  if (!opts.fresh) {
    const mention = await ig.repos.instagram.mentionByShortcode(a.igUserId, shortcode);
    if (mention?.media) return { media: mention.media, via: 'mentions' };
  }
  for await (const media of pagedMedia((after) => ig.graph.tagsPage(a.igUserId, a.token, after))) {
    if (samePost(media, shortcode)) return { media, via: 'tags' };
  }
  try {
    const read = (after?: string) => ig.graph.discoveryPage(a.igUserId, a.token, handle, after);
    for await (const media of pagedMedia(read)) {
      if (samePost(media, shortcode)) return { media, via: 'business_discovery' };
    }
  } catch (err) {
    // 110 / 100: not a professional account (or no such user): business discovery cannot see it.
    if (!(err instanceof GraphError) || (err.code !== 110 && err.code !== 100)) throw err;
  }
  return null;
}

/** Whether a Graph failure passes (throttling, Meta's own outage, the network): the look-up is simply redone later. */
export function passing(err: unknown): err is GraphError {
  return (
    err instanceof GraphError &&
    (err.rateLimited || err.status === 0 || err.status >= 500 || err.code === 1 || err.code === 2 || err.invalidToken)
  );
}
