import type { ReminderChannelName } from '@seedline/domain';
import type { ReminderChannel, ReminderDelivery } from './channels/channel.js';

export interface ChannelPlan {
  targets: ReminderChannel[];
  skipped: { channel: ReminderChannelName; reason: string }[];
}

/**
 * Which channels carry this reminder: those the campaign asks for that can reach the influencer. An
 * influencer without an email address gets the webhook instead when one is configured, so a campaign on
 * email alone still reaches people who signed up without an address.
 */
export function planChannels(
  wanted: readonly ReminderChannelName[],
  channels: Record<ReminderChannelName, ReminderChannel>,
  d: ReminderDelivery,
): ChannelPlan {
  const plan: ChannelPlan = { targets: [], skipped: [] };
  const add = (c: ReminderChannel) => {
    if (!plan.targets.includes(c)) plan.targets.push(c);
  };
  for (const name of wanted) {
    const channel = channels[name];
    const reason = channel.cannotReach(d);
    if (reason === null) {
      add(channel);
      continue;
    }
    const fallback = name === 'email' && !wanted.includes('webhook') && channels.webhook.cannotReach(d) === null;
    plan.skipped.push({ channel: name, reason: fallback ? `${reason} (sent by webhook instead)` : reason });
    if (fallback) add(channels.webhook);
  }
  return plan;
}
