import { jobIdFor, JOB_CATALOGUE } from '@seedline/domain';
import type { Handler } from './processor.js';
import type { WorkerServices } from '../services.js';

/**
 * Finds due reminders and queues one job each. The job id names the reminder and its due time: a reminder
 * already queued is not queued again, however many sweeps run, and a postponed one gets a fresh job.
 */
export const reminderSweepProcessor =
  (s: WorkerServices): Handler<'reminder-sweep'> =>
  async () => {
    // The same sweep re-queues reimbursement emails still owed (the ledger is their outbox).
    const notices = await s.money.sweepNotices();
    const due = await s.repos.reminders.due(new Date(), 1000);
    if (due.length === 0) return { queued: 0, notices };
    await s.queues.reminders.addBulk(
      due.map((r) => ({
        name: 'reminders',
        data: { reminderId: r._id },
        opts: {
          ...JOB_CATALOGUE.reminders.options,
          jobId: jobIdFor('rem', `${r._id}-${new Date(r.dueAt).getTime()}`),
        } as never,
      })),
    );
    return { queued: due.length, notices };
  };
