import { trimEndOf } from '../util/trim-end.js';
import { signLinkToken } from './token.js';

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
  secret: string,
): InfluencerLinks {
  const base = trimEndOf(baseUrl, '/');
  const token = (kind: 'purchase' | 'review' | 'submit') => signLinkToken({ kind, campaignId, influencerId }, secret);
  return {
    purchase: `${base}/l/${token('purchase')}`,
    review: `${base}/l/${token('review')}`,
    submit: `${base}/s/${token('submit')}`,
  };
}
