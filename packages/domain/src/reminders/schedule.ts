export type ReminderStage = 'purchase' | 'review';

export interface ReminderPolicy {
  firstAfterSeconds: number;
  everySeconds: number;
  max: number;
}

export const DEFAULT_REMINDERS: Record<ReminderStage, ReminderPolicy> = {
  purchase: { firstAfterSeconds: 48 * 3600, everySeconds: 72 * 3600, max: 3 },
  review: { firstAfterSeconds: 72 * 3600, everySeconds: 96 * 3600, max: 2 },
};

export const QUIET_HOURS = { startHour: 21, endHour: 9 } as const;

/** When attempt `attempt` (1-based) is due, counted from entering the stage or from the previous send. */
export function reminderDueAt(policy: ReminderPolicy, attempt: number, from: Date): Date | null {
  if (attempt > policy.max) return null;
  const seconds = attempt === 1 ? policy.firstAfterSeconds : policy.everySeconds;
  return new Date(from.getTime() + seconds * 1000);
}

/**
 * Reminders are not sent between 21:00 and 09:00 in the influencer's time zone (when known and valid):
 * returns `at` itself outside quiet hours, otherwise the next 09:00 local time.
 */
export function deferForQuietHours(at: Date, timezone?: string | null): Date {
  if (!timezone || !isValidTimezone(timezone)) return at;
  const local = localParts(at, timezone);
  if (local.hour >= QUIET_HOURS.endHour && local.hour < QUIET_HOURS.startHour) return at;
  // Minutes until 09:00 local; DST shifts inside the window are corrected by one re-check below.
  const minutesNow = local.hour * 60 + local.minute;
  const target = QUIET_HOURS.endHour * 60;
  const wait = minutesNow < target ? target - minutesNow : 24 * 60 - minutesNow + target;
  let next = new Date(at.getTime() + wait * 60_000 - local.second * 1000 - at.getUTCMilliseconds());
  const check = localParts(next, timezone);
  if (check.hour !== QUIET_HOURS.endHour) {
    next = new Date(next.getTime() + (QUIET_HOURS.endHour - check.hour) * 3_600_000);
  }
  return next;
}

export function isValidTimezone(timezone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: timezone });
    return true;
  } catch {
    return false;
  }
}

function localParts(at: Date, timeZone: string): { hour: number; minute: number; second: number } {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
  }).formatToParts(at);
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  return { hour: get('hour'), minute: get('minute'), second: get('second') };
}
