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
 * returns `at` itself outside quiet hours, otherwise the instant the local clock next reads 09:00, which is
 * found by the calendar date, not by adding hours, so a daylight-saving change in between does not shift it.
 */
export function deferForQuietHours(at: Date, timezone?: string | null): Date {
  if (!timezone || !isValidTimezone(timezone)) return at;
  const local = localParts(at, timezone);
  if (local.hour >= QUIET_HOURS.endHour && local.hour < QUIET_HOURS.startHour) return at;
  const day = local.hour < QUIET_HOURS.endHour ? local.day : local.day + 1;
  return atLocalTime(local.year, local.month, day, QUIET_HOURS.endHour, timezone);
}

export function isValidTimezone(timezone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: timezone });
    return true;
  } catch {
    return false;
  }
}

interface LocalParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

const formats = new Map<string, Intl.DateTimeFormat>();

function localParts(at: Date, timeZone: string): LocalParts {
  let format = formats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    if (formats.size > 1000) formats.clear();
    formats.set(timeZone, format);
  }
  const parts = format.formatToParts(at);
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  return {
    year: get('year'),
    month: get('month'),
    day: get('day'),
    hour: get('hour'),
    minute: get('minute'),
    second: get('second'),
  };
}

/** How far the zone's wall clock is ahead of UTC at `at`, in ms. */
function offsetAt(at: number, timeZone: string): number {
  const p = localParts(new Date(at), timeZone);
  return Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second) - (at - (((at % 1000) + 1000) % 1000));
}

/** The instant the zone's clock reads `hour`:00 on the given local date (`day` may overflow the month). */
function atLocalTime(year: number, month: number, day: number, hour: number, timeZone: string): Date {
  const wall = Date.UTC(year, month - 1, day, hour);
  // The offset at the first guess may differ from the offset at the answer when a clock change lies
  // between them; a second pass settles it.
  const first = wall - offsetAt(wall, timeZone);
  return new Date(wall - offsetAt(first, timeZone));
}
