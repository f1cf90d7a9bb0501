import type { Logger } from 'pino';
import type { CampaignTarget, TargetVet } from '@seedline/db';
import { RedirectAllowList } from '@seedline/domain';

const FIELDS = ['productUrl', 'reviewUrl'] as const;

/**
 * Checks a campaign's stored targets against the redirect allow-list when the campaign is loaded into the
 * cache, so a click only reads a flag. A target stored before the allow-list existed (or refused since the
 * operator narrowed it) is marked refused: its links answer 410, and the campaign is logged as an error once.
 */
export function redirectTargetVet(allowedHosts: readonly string[], logger: Logger): TargetVet {
  const allowList = new RedirectAllowList(allowedHosts);
  const logged = new Set<string>();
  return (target: CampaignTarget): CampaignTarget => {
    const refused: NonNullable<CampaignTarget['refused']> = {};
    const reasons: Record<string, string> = {};
    for (const field of FIELDS) {
      const reason = allowList.refusal(target[field]);
      if (reason === null) continue;
      refused[field] = true;
      reasons[field] = reason;
    }
    if (Object.keys(reasons).length === 0) return target;
    const campaignId = String(target._id);
    if (!logged.has(campaignId)) {
      if (logged.size >= 10_000) logged.clear();
      logged.add(campaignId);
      logger.error(
        { campaignId, refused: reasons },
        'campaign redirect target refused by the allow-list: its links answer 410 link_disabled',
      );
    }
    return { ...target, refused };
  };
}
