import type { ClickEvent, SignupJob } from '@seedline/domain';

/** Sign-ups and clicks of numbered influencers of one campaign, for the repository suites. */
export function influencerEvents(campaignId: string, idBase: bigint) {
  const id = (i: number) => (idBase + BigInt(i)).toString(16).padStart(24, '0');
  const at = (min: number) => new Date(Date.UTC(2026, 0, 5, 8, min)).toISOString();
  const signup = (i: number): SignupJob => ({
    eventId: `s${i}`,
    campaignId,
    influencerId: id(i),
    instagramHandle: `h.${i}`,
    at: at(0),
  });
  /** a click `n` minutes after 08:10 (its id names the influencer, the link and `n`) */
  const click = (i: number, n: number, human = true, link: ClickEvent['link'] = 'purchase'): ClickEvent => ({
    eventId: link === 'purchase' ? `c${i}-${n}` : `c${i}-${link}-${n}`,
    link,
    campaignId,
    influencerId: id(i),
    at: at(10 + n),
    human,
    source: 'link',
  });
  return { id, at, signup, click };
}
