import type { InfluencerLinks, ReminderChannelName, ReminderSettings, ReminderStage } from '@seedline/domain';

/** Everything a channel needs to deliver one reminder, gathered once by the sender. */
export interface ReminderDelivery {
  reminderId: string;
  stage: ReminderStage;
  /** which reminder of its stage this is (1-based) */
  number: number;
  campaign: { id: string; name: string; brandName: string; settings: ReminderSettings };
  influencer: { id: string; instagramHandle: string | null; email: string | null };
  links: InfluencerLinks;
  unsubscribeUrl: string;
}

/** A failed delivery. Permanent ones (a mailbox refused for good) are not tried again. */
export class DeliveryError extends Error {
  constructor(
    message: string,
    readonly permanent: boolean,
  ) {
    super(message);
  }
}

/**
 * One way a reminder leaves Seedline. The sender owns the rules (re-checks, quiet hours, unsubscribe,
 * retries); a channel only knows whether it can reach the influencer and how to hand the reminder over.
 */
export interface ReminderChannel {
  readonly name: ReminderChannelName;
  /** Why this channel cannot reach the influencer (no address, not configured), or null when it can. */
  cannotReach(d: ReminderDelivery): string | null;
  /** Resolves with the receiver's answer; throws a DeliveryError (or any error, taken as passing) otherwise. */
  deliver(d: ReminderDelivery): Promise<string>;
  close(): Promise<void>;
}
