import { addWeeks, formatWeek, parseWeek, weekOfInstant, weekStart, type IsoWeek } from './iso-week.js';

/**
 * A brand's time zones over time. A change applies from the week after the one in which it was made, so the
 * week in progress (and every week before it) keeps the bounds the brand has been seeing.
 *
 * Week `W` runs from the start of `W` in W's zone to the start of `W+1` in the zone of `W+1`: consecutive weeks
 * always meet, with no gap and no overlap, even across a zone change (the week before a change may then be a
 * few hours longer or shorter than 7 days).
 */
export interface ZoneChange {
  zone: string;
  /** first week (`2026-W49`) the zone applies to */
  fromWeek: string;
}

export const DEFAULT_ZONE = 'UTC';

/** The zone in force for a week: the last change from that week or before, else UTC. */
export function zoneForWeek(history: readonly ZoneChange[], week: IsoWeek): string {
  const key = formatWeek(week);
  let zone = DEFAULT_ZONE;
  for (const change of history) if (change.fromWeek <= key) zone = change.zone;
  return zone;
}

export interface WeekBounds {
  week: string;
  zone: string;
  /** first instant, inclusive (ms) */
  start: number;
  /** first instant of the next week, exclusive (ms) */
  end: number;
}

export function weekBounds(history: readonly ZoneChange[], week: IsoWeek): WeekBounds {
  const next = addWeeks(week, 1);
  const zone = zoneForWeek(history, week);
  return {
    week: formatWeek(week),
    zone,
    start: weekStart(week, zone),
    end: weekStart(next, zoneForWeek(history, next)),
  };
}

/** The week an instant belongs to under a zone history. */
export function weekContaining(history: readonly ZoneChange[], instantMs: number): IsoWeek {
  // Every zone is within a day of UTC, so the week is the UTC week or one of its neighbours.
  const utc = weekOfInstant(instantMs, DEFAULT_ZONE);
  for (const candidate of [addWeeks(utc, -1), utc, addWeeks(utc, 1)]) {
    const b = weekBounds(history, candidate);
    if (b.start <= instantMs && instantMs < b.end) return candidate;
  }
  return utc;
}

/**
 * The history after asking, at `nowMs`, for `zone`: it applies from next week, or the week after when next week
 * has already begun in `zone`. A change still pending (made earlier this week) is replaced; asking for the zone
 * already in force next week changes nothing.
 */
export function scheduleZoneChange(
  history: readonly ZoneChange[],
  zone: string,
  nowMs: number,
): { history: ZoneChange[]; fromWeek: string } {
  const current = weekContaining(history, nowMs);
  const kept = history.filter((c) => c.fromWeek <= formatWeek(current));
  let next = addWeeks(current, 1);
  if (zoneForWeek(kept, next) === zone) return { history: kept, fromWeek: effectiveFrom(kept, next) };
  // A zone ahead of ours may have begun next week already (Sunday 12:00 UTC is Monday in Kiritimati): the week in
  // progress would end in the past and its lines move to the next. The change then waits one week more.
  if (weekStart(next, zone) <= nowMs) next = addWeeks(next, 1);
  const fromWeek = formatWeek(next);
  return { history: [...kept, { zone, fromWeek }], fromWeek };
}

/** The week from which the zone in force at `week` has applied (`1970-W01` for the default). */
function effectiveFrom(history: readonly ZoneChange[], week: IsoWeek): string {
  const key = formatWeek(week);
  let from = '1970-W01';
  for (const change of history) if (change.fromWeek <= key) from = change.fromWeek;
  return from;
}

/** Parses a week key, throwing on a malformed one (keys in storage were written by `formatWeek`). */
export function weekOfKey(key: string): IsoWeek {
  const parsed = parseWeek(key);
  if (!parsed.ok) throw new Error(`bad week key ${key}: ${parsed.message}`);
  return parsed.week;
}
