import type { WorkerServices } from '../services.js';
import { clickProcessor } from './click.processor.js';
import type { Handlers } from './processor.js';
import { reminderSweepProcessor } from './reminder-sweep.processor.js';
import { reminderProcessor } from './reminder.processor.js';
import { recountProcessor } from './recount.processor.js';
import { signupProcessor } from './signup.processor.js';
import { submissionProcessor } from './submission.processor.js';
import { unsubscribeProcessor } from './unsubscribe.processor.js';

export function createHandlers(s: WorkerServices): Handlers {
  return {
    signups: signupProcessor(s),
    clicks: clickProcessor(s),
    submissions: submissionProcessor(s),
    reminders: reminderProcessor(s),
    'reminder-sweep': reminderSweepProcessor(s),
    recount: recountProcessor(s),
    unsubscribes: unsubscribeProcessor(s),
  };
}
