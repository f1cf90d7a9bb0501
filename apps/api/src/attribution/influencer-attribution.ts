import type { Repositories } from '@seedline/db';
import { creativeFigures, type InfluencerAttribution } from '@seedline/domain';

type AttributionRepos = Pick<Repositories, 'attribution'>;

/**
 * Amazon's figures per influencer: the creative-level report rows whose creative id is the influencer's own
 * tag. Two equality reads (the tags, then those creatives' rows); influencers without a tag, or whose tag has
 * no rows yet, are absent from the map. Without `influencerIds`, the whole campaign (the CSV export).
 */
export async function influencerAttribution(
  repos: AttributionRepos,
  campaignId: string,
  influencerIds?: readonly string[],
): Promise<Map<string, InfluencerAttribution>> {
  const tags = influencerIds
    ? await repos.attribution.tags.forInfluencers(campaignId, influencerIds)
    : await repos.attribution.tags.forCampaign(campaignId);
  if (tags.length === 0) return new Map();
  const rows = await repos.attribution.creativeRowsFor(
    campaignId,
    influencerIds ? tags.map((t) => t.creativeId) : undefined,
  );
  const figures = creativeFigures(rows);
  const byInfluencer = new Map<string, InfluencerAttribution>();
  for (const tag of tags) {
    const f = figures.get(tag.creativeId);
    if (f) byInfluencer.set(tag._id, f);
  }
  return byInfluencer;
}
