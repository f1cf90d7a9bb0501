import type { Handler } from './processor.js';
import type { WorkerServices } from '../services.js';

export const reminderProcessor =
  (s: WorkerServices): Handler<'reminders'> =>
  async (job, raw) => ({ outcome: await s.sender.send(job.reminderId, raw.attemptsMade + 1) });
