import { expect } from 'vitest';
import { deferForQuietHours } from '@seedline/domain';
import type { ReminderDoc } from '@seedline/db';
import { pollUntil } from '@seedline/testkit';
import type { Db } from './results.js';

/** A fixed-offset zone where it is about 03:00 now: deep in its quiet hours. */
export function zoneAtThreeAm(now = new Date()): string {
  let offset = (3 - now.getUTCHours() + 24) % 24;
  if (offset > 14) offset -= 24;
  return offset === 0 ? 'Etc/GMT' : `Etc/GMT${offset > 0 ? '-' : '+'}${Math.abs(offset)}`;
}

/** Waits until the influencer's first reminder is deferred, and checks it now waits, pending, for 09:00 there. */
export async function expectHeldUntilNine(db: Db, influencerId: string, timezone: string): Promise<ReminderDoc> {
  const [held] = await pollUntil(
    async () => {
      const docs = await db.reminders(influencerId);
      return docs[0] && new Date(docs[0].dueAt).getTime() > Date.now() + 3_600_000 && docs;
    },
    { timeoutMs: 60_000, what: 'the reminder to be deferred' },
  );
  expect(held?.state).toBe('pending');
  const dueAt = new Date(held?.dueAt as Date);
  expect(deferForQuietHours(dueAt, timezone)).toEqual(dueAt);
  const local = new Intl.DateTimeFormat('en-GB', {
    timeZone: timezone,
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  });
  expect(local.format(dueAt)).toBe('09:00');
  return held as ReminderDoc;
}
