import { parseMailbox } from '../reminders/email.js';
import type { ReimbursementState } from './state.js';

export interface ReimbursementNoticeInput {
  /** the ledger entry told about: the Message-ID derives from it, the same on every retry */
  entryId: string;
  from: string;
  to: string;
  state: ReimbursementState;
  /** formatted, e.g. "24.99" */
  amount: string | null;
  currency: string;
  reason: string | null;
  campaignName: string;
  handle: string | null;
}

export interface NoticeEmail {
  from: string;
  to: string;
  subject: string;
  text: string;
  messageId: string;
}

const REASONS: Record<string, string> = {
  duplicate_order: 'this order number was already claimed for another reimbursement',
  over_budget: "the campaign's reimbursement budget is used up for now",
};

const SUBJECTS: Partial<Record<ReimbursementState, string>> = {
  approved: 'Your reimbursement is approved',
  paid: 'Your reimbursement is paid',
  held: 'Your reimbursement is on hold',
  rejected: 'Your reimbursement was declined',
};

/** The influencer's email about a reimbursement move, in plain text (the amount and the reason, nothing else). */
export function composeReimbursementNotice(input: ReimbursementNoticeInput): NoticeEmail {
  const from = parseMailbox(input.from);
  if (!from) throw new TypeError('from must be an email address, optionally with a display name');
  const domain = from.address.slice(from.address.lastIndexOf('@') + 1).toLowerCase();
  const money = input.amount === null ? '' : ` of ${input.amount} ${input.currency}`;
  const why = input.reason ? `\n\nReason: ${REASONS[input.reason] ?? input.reason}` : '';
  const what: Partial<Record<ReimbursementState, string>> = {
    approved: `Your reimbursement${money} for ${input.campaignName} is approved and will be paid to your payout address soon.`,
    paid: `Your reimbursement${money} for ${input.campaignName} has been paid.`,
    held: `Your reimbursement${money} for ${input.campaignName} is on hold until the brand reviews it.`,
    rejected: `Your reimbursement${money} for ${input.campaignName} was declined by the brand.`,
  };
  return {
    from: input.from,
    to: input.to,
    subject: `${SUBJECTS[input.state] ?? 'Your reimbursement changed'} · ${input.campaignName}`,
    text: `Hi${input.handle ? ` @${input.handle}` : ''},\n\n${what[input.state] ?? `Your reimbursement is now ${input.state}.`}${why}\n`,
    messageId: `<reimbursement.${input.entryId}@${domain}>`,
  };
}
