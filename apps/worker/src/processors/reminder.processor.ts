import type { Handler } from './processor.js';
import type { WorkerServices } from '../services.js';

export const reminderProcessor =
  (s: WorkerServices): Handler<'reminders'> =>
  async (job) => ({ outcome: await s.sender.send(job.reminderId) });
