import { trimEndOf } from '../util/trim-end.js';
import { signLinkToken, type LinkSecrets } from './token.js';

export interface InfluencerLinks {
  purchase: string;
  review: string;
  submit: string;
}

/** The three personal links of an influencer: tracked purchase and review links, and the submission form. */
export function buildInfluencerLinks(
  baseUrl: string,
  campaignId: string,
  influencerId: string,
  secrets: LinkSecrets,
): InfluencerLinks {
  const base = trimEndOf(baseUrl, '/');
  const token = (kind: 'purchase' | 'review' | 'submit') => signLinkToken({ kind, campaignId, influencerId }, secrets);
  return {
    purchase: `${base}/l/${token('purchase')}`,
    review: `${base}/l/${token('review')}`,
    submit: `${base}/s/${token('submit')}`,
  };
}
