import type { ClickEvent, LinkClaims } from '@seedline/domain';

/** The click event's limit for a user agent or a referrer (the schema refuses anything longer). */
const HEADER_MAX = 512;

/** What the ingest learnt of one click, from a tracked link or from a tracker's feed. */
export interface Click {
  eventId: string;
  link: ClickEvent['link'];
  /** the link token's: whose link, in which campaign */
  claims: Pick<LinkClaims, 'campaignId' | 'influencerId'>;
  at: string;
  human: boolean;
  source: ClickEvent['source'];
  ipHash: string | undefined;
  userAgent?: string | undefined;
  referrer?: string | undefined;
  flagged?: ClickEvent['flagged'] | undefined;
}

/**
 * The click event as the queue carries it. Optional fields are left out rather than set to undefined, so the
 * job's JSON holds only what is known.
 */
export function clickEvent(click: Click): ClickEvent {
  const { claims } = click;
  const event: ClickEvent = {
    eventId: click.eventId,
    link: click.link,
    campaignId: claims.campaignId,
    influencerId: claims.influencerId,
    at: click.at,
    human: click.human,
    source: click.source,
  };
  if (click.ipHash) event.ipHash = click.ipHash;
  if (click.userAgent) event.userAgent = click.userAgent.slice(0, HEADER_MAX);
  if (click.referrer) event.referrer = click.referrer.slice(0, HEADER_MAX);
  if (click.flagged) event.flagged = click.flagged;
  return event;
}
