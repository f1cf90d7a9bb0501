import { verifyCaption, type Requirements } from '../submissions/verify.js';
import type { IgMedia } from './graph.schema.js';
import { parseInstagramPostUrl } from './post-url.js';

export type MediaOutcome = 'verified' | 'wrong_owner' | 'caption_missing';

export interface MediaJudgement {
  outcome: MediaOutcome;
  /** human-readable, one per problem; empty when verified */
  reasons: string[];
}

/** True when an IG Media's permalink is the submitted post (compared by shortcode: `/p/` and `/reel/` alike). */
export function samePost(media: IgMedia, shortcode: string): boolean {
  const post = media.permalink ? parseInstagramPostUrl(media.permalink) : null;
  return post?.shortcode === shortcode;
}

/**
 * A post counts when Instagram says it is the influencer's (its `username`) and Instagram's own caption holds
 * every hashtag and mention the campaign requires; what the influencer typed into the form does not decide.
 */
export function judgeMedia(media: IgMedia, handle: string, req: Requirements): MediaJudgement {
  const owner = (media.username ?? '').toLowerCase();
  if (owner !== handle.toLowerCase()) {
    return { outcome: 'wrong_owner', reasons: [`wrong owner: the post is @${owner || 'unknown'}'s, not @${handle}'s`] };
  }
  const verdict = verifyCaption(media.caption ?? '', req);
  if (!verdict.accepted) {
    return { outcome: 'caption_missing', reasons: verdict.reasons.map((r) => `Instagram's ${r}`) };
  }
  return { outcome: 'verified', reasons: [] };
}
