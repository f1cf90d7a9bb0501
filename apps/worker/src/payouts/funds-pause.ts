import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { payoutsPausedKey } from '@seedline/runtime';

/**
 * Lack of funds at the provider pauses the `payouts` queue for every worker (a BullMQ rate limit: the job goes
 * back to waiting with no attempt used, nothing lost, nothing failed); after `retryMs` one job is tried again.
 * The first pause logs an error and sets the key `/metrics` reports; the first payout that goes through again
 * clears it and logs the resumption.
 */
export class FundsPause {
  private readonly key: string;

  constructor(
    private readonly redis: Redis,
    prefix: string,
    private readonly queue: Queue,
    private readonly retryMs: number,
    private readonly logger: Logger,
  ) {
    this.key = payoutsPausedKey(prefix);
  }

  async pause(provider: string, debugId: string | undefined): Promise<void> {
    const value = JSON.stringify({ since: new Date().toISOString(), reason: `${provider}: insufficient funds` });
    const first = await this.redis.set(this.key, value, 'NX');
    if (first === 'OK') {
      this.logger.error(
        { provider, debugId, retryInSeconds: this.retryMs / 1000 },
        'payouts paused: the provider says the sending account lacks funds; nothing was sent, nothing failed; add funds',
      );
    }
    await this.queue.rateLimit(this.retryMs);
  }

  async resumed(provider: string): Promise<void> {
    if ((await this.redis.del(this.key)) > 0) this.logger.info({ provider }, 'payouts resumed: a payout went through');
  }
}
