import { localTime, startOfLocalDay } from './zoned-time.js';

/**
 * ISO 8601 weeks (Monday to Sunday; week 1 holds the year's first Thursday), named `2026-W49`, and their
 * bounds in a time zone. A week key sorts as a string in time order.
 */
const DAY_MS = 86_400_000;

export interface IsoWeek {
  year: number;
  week: number;
}

const WEEK_KEY = /^(\d{4})-W(\d{2})$/;

export const formatWeek = (w: IsoWeek): string =>
  `${String(w.year).padStart(4, '0')}-W${String(w.week).padStart(2, '0')}`;

/** 52 or 53: a year has 53 ISO weeks when it starts on a Thursday, or on a Wednesday in a leap year. */
export function weeksInYear(year: number): number {
  const jan1 = new Date(Date.UTC(year, 0, 1)).getUTCDay();
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  return jan1 === 4 || (leap && jan1 === 3) ? 53 : 52;
}

export type WeekParse = { ok: true; week: IsoWeek; key: string } | { ok: false; message: string };

/** Parses `YYYY-Www` (years 1970–9999); names what is wrong otherwise. */
export function parseWeek(text: string): WeekParse {
  const m = text.length <= 8 ? WEEK_KEY.exec(text) : null;
  if (!m) return { ok: false, message: 'must be an ISO week such as 2026-W49' };
  const year = Number.parseInt(m[1] as string, 10);
  const week = Number.parseInt(m[2] as string, 10);
  if (year < 1970) return { ok: false, message: 'must be a week from 1970 on' };
  if (week < 1 || week > weeksInYear(year)) {
    return { ok: false, message: `${year} has weeks 01 to ${weeksInYear(year)}` };
  }
  return { ok: true, week: { year, week }, key: formatWeek({ year, week }) };
}

/** The ISO week of a calendar date (month 1-based). */
export function weekOfDate(year: number, month: number, day: number): IsoWeek {
  const date = Date.UTC(year, month - 1, day);
  const dow = new Date(date).getUTCDay() || 7;
  const thursday = new Date(date + (4 - dow) * DAY_MS);
  const isoYear = thursday.getUTCFullYear();
  const dayOfYear = Math.round((thursday.getTime() - Date.UTC(isoYear, 0, 1)) / DAY_MS);
  return { year: isoYear, week: Math.floor(dayOfYear / 7) + 1 };
}

/** The week an instant falls in, on the wall clock of a zone. */
export function weekOfInstant(instantMs: number, zone: string): IsoWeek {
  if (zone === 'UTC') {
    const d = new Date(instantMs);
    return weekOfDate(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate());
  }
  const t = localTime(instantMs, zone);
  return weekOfDate(t.year, t.month, t.day);
}

/** The Monday of a week, as a UTC date (its calendar fields are the local date in any zone). */
function mondayOf(w: IsoWeek): Date {
  const jan4 = Date.UTC(w.year, 0, 4);
  const jan4Dow = new Date(jan4).getUTCDay() || 7;
  return new Date(jan4 - (jan4Dow - 1) * DAY_MS + (w.week - 1) * 7 * DAY_MS);
}

// Week starts are asked for again and again (every statement, every instant placed in a week); Intl is slow.
const starts = new Map<string, number>();

/** The first instant of a week (Monday 00:00, or the first instant of that Monday if DST skips midnight). */
export function weekStart(w: IsoWeek, zone: string): number {
  const key = `${zone} ${w.year} ${w.week}`;
  let start = starts.get(key);
  if (start === undefined) {
    const monday = mondayOf(w);
    start = startOfLocalDay(monday.getUTCFullYear(), monday.getUTCMonth() + 1, monday.getUTCDate(), zone);
    if (starts.size >= 20_000) starts.clear();
    starts.set(key, start);
  }
  return start;
}

export function addWeeks(w: IsoWeek, n: number): IsoWeek {
  const monday = mondayOf(w);
  const moved = new Date(monday.getTime() + n * 7 * DAY_MS);
  return weekOfDate(moved.getUTCFullYear(), moved.getUTCMonth() + 1, moved.getUTCDate());
}

/** The end of a week: the first instant of the next one (exclusive). */
export const weekEnd = (w: IsoWeek, zone: string): number => weekStart(addWeeks(w, 1), zone);

/** Monday and Sunday of a week as `YYYY-MM-DD` (calendar dates, the same in every zone). */
export function weekDates(w: IsoWeek): { monday: string; sunday: string } {
  const monday = mondayOf(w);
  const sunday = new Date(monday.getTime() + 6 * DAY_MS);
  return { monday: monday.toISOString().slice(0, 10), sunday: sunday.toISOString().slice(0, 10) };
}

/** The number of weeks from `a` to `b` (negative when `b` is earlier). */
export const weeksBetween = (a: IsoWeek, b: IsoWeek): number =>
  Math.round((mondayOf(b).getTime() - mondayOf(a).getTime()) / (7 * DAY_MS));
