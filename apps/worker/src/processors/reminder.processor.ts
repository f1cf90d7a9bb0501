import type { Handler } from './processor.js';
import type { WorkerServices } from '../services.js';

export const reminderProcessor =
  (s: WorkerServices): Handler<'reminders'> =>
  async (job, raw) =>
    s.sender.send(job.reminderId, { last: raw.attemptsMade + 1 >= (raw.opts.attempts ?? 1) });
