import type { Redis } from 'ioredis';

/**
 * When the payout provider says the sending account lacks funds, payouts pause for every worker: one Redis key
 * says since when (the worker sets it and clears it when a payout goes through again; the API's `/metrics`
 * reads it).
 */
export function payoutsPausedKey(prefix: string): string {
  return `${prefix}:payouts:paused`;
}

export interface PayoutsPause {
  since: string;
  reason: string;
}

export async function readPayoutsPause(redis: Redis, prefix: string): Promise<PayoutsPause | null> {
  const raw = await redis.get(payoutsPausedKey(prefix));
  if (!raw) return null;
  try {
    const parsed = JSON.parse(raw) as Partial<PayoutsPause>;
    return { since: String(parsed.since ?? ''), reason: String(parsed.reason ?? '') };
  } catch {
    return { since: '', reason: 'unreadable' };
  }
}
