import { influencerIdFor, normalizeHandle, parseInstagramPostUrl, verifyCaption, type IgMedia } from '@seedline/domain';
import type { FoundVia } from '@seedline/db';
import type { WorkerServices } from '../services.js';
import { queueCheck, secondsFromNow, type InstagramContext } from './context.js';
import { recordVerdict } from './record-verdict.js';

/**
 * A post found on Instagram without a submission (a mention, or the brand's tagged media): for each of the
 * brand's campaigns where its owner signed up, has no accepted post and none waiting, and whose rules its
 * caption meets, it is accepted with source `instagram` and re-checked like a verified submission.
 */
export async function discoverPost(
  s: WorkerServices,
  ig: InstagramContext,
  brandId: string,
  media: IgMedia,
  via: FoundVia,
): Promise<number> {
  const handle = normalizeHandle(media.username ?? '');
  const post = parseInstagramPostUrl(media.permalink ?? '');
  if (!handle || !post) return 0;
  let accepted = 0;
  for (const campaign of await ig.repos.campaigns.listForBrand(brandId)) {
    if (campaign.state === 'ended') continue;
    const influencerId = influencerIdFor(campaign._id, handle);
    const doc = await ig.repos.influencers.findById(influencerId);
    if (!doc?.listed || doc.acceptedAt || doc.submission?.verification === 'pending') continue;
    if (!verifyCaption(media.caption ?? '', campaign.requirements).accepted) continue;
    const id = `ig-${media.id}-${influencerId}`;
    const now = Date.now();
    const nextAt = secondsFromNow(ig.config.IG_RECHECK_INTERVAL_SECONDS, now);
    const created = await ig.repos.instagram.addCheck({
      _id: id,
      brandId,
      campaignId: campaign._id,
      influencerId,
      handle,
      postUrl: post.url,
      shortcode: post.shortcode,
      typedCaption: null,
      submittedAt: new Date(now),
      source: 'instagram',
      state: 'verified',
      tries: 0,
      nextAt,
      verifyUntil: new Date(now),
      recheckUntil: secondsFromNow(ig.config.IG_RECHECK_FOR_SECONDS, now),
      mediaId: media.id,
      permalink: media.permalink ?? post.url,
      foundVia: via,
      decidedAt: new Date(now),
      removedAt: null,
    });
    const check = created ? null : await ig.repos.instagram.check(id);
    await recordVerdict(
      s,
      {
        eventId: id,
        campaignId: campaign._id,
        influencerId,
        postUrl: post.url,
        caption: media.caption,
        at: new Date(check?.submittedAt ?? now).toISOString(),
      },
      { accepted: true, reasons: [], missingHashtags: [], missingMentions: [] },
      post.url,
      {
        verification: 'verified',
        media: { id: media.id, permalink: media.permalink ?? post.url, username: handle, foundVia: via },
        source: 'instagram',
        sourceLabel: `instagram (${via}, media ${media.id})`,
      },
    );
    if (created) await queueCheck(ig, id, nextAt);
    accepted++;
  }
  return accepted;
}
