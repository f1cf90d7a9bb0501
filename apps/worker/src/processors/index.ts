import type { WorkerServices } from '../services.js';
import { clickProcessor } from './click.processor.js';
import type { Handlers } from './processor.js';
import { reminderSweepProcessor } from './reminder-sweep.processor.js';
import { reminderProcessor } from './reminder.processor.js';
import { recountProcessor } from './recount.processor.js';
import { signupProcessor } from './signup.processor.js';
import { submissionProcessor } from './submission.processor.js';
import { unsubscribeProcessor } from './unsubscribe.processor.js';
import { payoutProcessor } from './payout.processor.js';
import { payoutSweepProcessor } from './payout-sweep.processor.js';
import { reimbursementNoticeProcessor } from './reimbursement-notice.processor.js';
import { reimbursementProcessor } from './reimbursement.processor.js';
import { instagramProcessor } from './instagram.processor.js';
import { instagramSweepProcessor } from './instagram-sweep.processor.js';
import { webhookDeliveryProcessor } from './webhook-delivery.processor.js';
import { webhookEventsProcessor } from './webhook-events.processor.js';

export function createHandlers(s: WorkerServices): Handlers {
  return {
    signups: signupProcessor(s),
    clicks: clickProcessor(s),
    submissions: submissionProcessor(s),
    reminders: reminderProcessor(s),
    'reminder-sweep': reminderSweepProcessor(s),
    recount: recountProcessor(s),
    unsubscribes: unsubscribeProcessor(s),
    reimbursements: reimbursementProcessor(s),
    payouts: payoutProcessor(s),
    'payout-sweep': payoutSweepProcessor(s),
    'reimbursement-notices': reimbursementNoticeProcessor(s),
    instagram: instagramProcessor(s),
    'instagram-sweep': instagramSweepProcessor(s),
    'webhook-events': webhookEventsProcessor(s),
    'webhook-deliveries': webhookDeliveryProcessor(s),
  };
}
