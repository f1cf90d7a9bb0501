import type { Redis } from 'ioredis';
import type { Logger } from 'pino';

/**
 * A brand's change to a campaign (targets, settings, state, attribution tags) is announced on one Redis
 * pub/sub channel per queue prefix, so every ingest drops its cached copy at once instead of waiting out
 * `CAMPAIGN_CACHE_MS`. Pub/sub is fire-and-forget: a message missed while a subscriber was disconnected is
 * covered by dropping everything on reconnect, and by the cache's TTL.
 */
export function campaignChangesChannel(prefix: string): string {
  return `${prefix}:campaign-changes`;
}

/** Announces a change; never fails the request that made it (the TTL is the fallback). */
export async function announceCampaignChange(
  redis: Redis,
  prefix: string,
  campaignId: string,
  logger: Logger,
): Promise<void> {
  try {
    await redis.publish(campaignChangesChannel(prefix), campaignId);
  } catch (err) {
    logger.warn({ err: (err as Error).message, campaignId }, 'campaign change not announced; caches expire it');
  }
}

export interface CampaignChangeHandlers {
  /** this campaign changed */
  changed(campaignId: string): void;
  /** messages may have been missed (a reconnect): treat every campaign as changed */
  resync(): void;
}

/** Listens on a connection of its own (a subscribed connection can run nothing else). */
export function subscribeCampaignChanges(
  subscriber: Redis,
  prefix: string,
  handlers: CampaignChangeHandlers,
  logger: Logger,
): { stop(): void } {
  const channel = campaignChangesChannel(prefix);
  let readyBefore = false;
  const onReady = () => {
    // ioredis subscribes again by itself after a reconnect; what was published meanwhile is gone.
    if (readyBefore) handlers.resync();
    readyBefore = true;
  };
  const onMessage = (from: string, message: string) => {
    if (from === channel) handlers.changed(message);
  };
  subscriber.on('ready', onReady);
  subscriber.on('message', onMessage);
  subscriber.subscribe(channel).catch((err: unknown) => {
    logger.warn({ err: (err as Error).message }, 'campaign changes not subscribed yet; retried on reconnect');
  });
  return {
    stop() {
      subscriber.off('ready', onReady);
      subscriber.off('message', onMessage);
      subscriber.disconnect();
    },
  };
}
