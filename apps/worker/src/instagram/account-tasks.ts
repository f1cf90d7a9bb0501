import { GraphError } from '@seedline/runtime';
import { sealText } from '@seedline/domain';
import type { WorkerServices } from '../services.js';
import { connectedAccount, type InstagramContext } from './context.js';
import { discoverPost } from './discover.js';
import { pagedMedia } from './post-finder.js';

/** Reads a stored `mentions` notification with `mentioned_media.media_id(...)` and looks for its influencer. */
export async function readMention(s: WorkerServices, ig: InstagramContext, mentionId: string): Promise<string> {
  const mention = await ig.repos.instagram.mention(mentionId);
  if (!mention || mention.state !== 'received') return 'nothing to read';
  let found = 0;
  for (const account of await ig.repos.instagram.accountsByIgUser(mention.igUserId)) {
    const connected = await connectedAccount(ig, account._id);
    if (!connected) continue;
    try {
      const media = await ig.graph.mentionedMedia(mention.igUserId, connected.token, mention.mediaId);
      const shortcode = media.permalink ? (/\/(?:p|reel)\/([A-Za-z0-9_-]+)/.exec(media.permalink)?.[1] ?? null) : null;
      const stored = {
        id: media.id,
        username: (media.username ?? '').toLowerCase(),
        caption: media.caption ?? '',
        permalink: media.permalink ?? '',
      };
      found += await discoverPost(s, ig, account._id, media, 'mentions');
      await ig.repos.instagram.mentionRead(mention._id, { state: 'read', shortcode, media: stored });
    } catch (err) {
      if (err instanceof GraphError && err.missing) {
        await ig.repos.instagram.mentionRead(mention._id, { state: 'gone', shortcode: null, media: null });
        return 'gone';
      }
      // Stays `received`: this job's retries, then the sweep, read it again.
      throw err;
    }
  }
  return `accepted ${found}`;
}

/** Reads every media the brand's account is tagged in (paged) and looks for posts of signed-up influencers. */
export async function readTags(s: WorkerServices, ig: InstagramContext, brandId: string): Promise<string> {
  const connected = await connectedAccount(ig, brandId);
  if (!connected) return 'not connected';
  let found = 0;
  const igUserId = connected.account.igUserId;
  for await (const media of pagedMedia((after) => ig.graph.tagsPage(igUserId, connected.token, after))) {
    found += await discoverPost(s, ig, brandId, media, 'tags');
  }
  return `accepted ${found}`;
}

/**
 * Renews the brand's long-lived token before its 60 days run out (`fb_exchange_token`), taking the new expiry
 * from `debug_token`. A failure is recorded (never the token) and tried again at the next sweep; the brand sees
 * the warning from 7 days before the expiry.
 */
export async function renewToken(ig: InstagramContext, brandId: string): Promise<string> {
  const connected = await connectedAccount(ig, brandId);
  if (!connected) return 'not connected';
  const { account, token } = connected;
  const left = account.tokenExpiresAt ? new Date(account.tokenExpiresAt).getTime() - Date.now() : Infinity;
  if (left > ig.config.IG_TOKEN_RENEW_BEFORE_SECONDS * 1000) return 'not due';
  try {
    const fresh = await ig.graph.exchangeToken(token);
    const debug = await ig.graph.debugToken(fresh.accessToken);
    const expiresAt = debug.expiresAt ?? fresh.expiresAt;
    const sealed = sealText(fresh.accessToken, ig.dataKey);
    const landed = await ig.repos.instagram.renewed(brandId, account.tokenRev, sealed, expiresAt);
    ig.logger.info({ brandId, tokenExpiresAt: expiresAt?.toISOString(), landed }, 'instagram token renewed');
    return landed ? 'renewed' : 'replaced meanwhile';
  } catch (err) {
    const reason = err instanceof GraphError ? err.message : 'renewal failed';
    await ig.repos.instagram.renewFailed(brandId, reason);
    ig.logger.warn({ brandId, err: reason }, 'instagram token renewal failed; retried at the next sweep');
    return 'failed';
  }
}
