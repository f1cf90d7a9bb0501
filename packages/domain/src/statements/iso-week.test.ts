import { describe, expect, it } from 'vitest';
import {
  addWeeks,
  formatWeek,
  parseWeek,
  weekDates,
  weekEnd,
  weekOfDate,
  weekOfInstant,
  weeksBetween,
  weeksInYear,
  weekStart,
} from './iso-week.js';
import { canonicalZone, localTime, startOfLocalDay } from './zoned-time.js';

const at = (iso: string) => Date.parse(iso);
const key = (t: number, zone: string) => formatWeek(weekOfInstant(t, zone));
const HOUR = 3_600_000;

describe('ISO weeks', () => {
  it('numbers dates across year boundaries as ISO 8601 does', () => {
    expect(formatWeek(weekOfDate(2026, 12, 2))).toBe('2026-W49');
    expect(formatWeek(weekOfDate(2020, 12, 31))).toBe('2020-W53');
    expect(formatWeek(weekOfDate(2021, 1, 3))).toBe('2020-W53');
    expect(formatWeek(weekOfDate(2021, 1, 4))).toBe('2021-W01');
    expect(formatWeek(weekOfDate(2024, 12, 30))).toBe('2025-W01');
    expect(formatWeek(weekOfDate(2026, 12, 31))).toBe('2026-W53');
    expect(formatWeek(weekOfDate(2027, 1, 3))).toBe('2026-W53');
    expect(formatWeek(weekOfDate(2027, 1, 4))).toBe('2027-W01');
    expect([2015, 2020, 2025, 2026, 2027].map(weeksInYear)).toEqual([53, 53, 52, 53, 52]);
  });

  it('parses week keys and names what is wrong', () => {
    expect(parseWeek('2026-W49')).toEqual({ ok: true, week: { year: 2026, week: 49 }, key: '2026-W49' });
    expect(parseWeek('2026-W53').ok).toBe(true);
    expect(parseWeek('2025-W53')).toEqual({ ok: false, message: '2025 has weeks 01 to 52' });
    expect(parseWeek('2026-W00').ok).toBe(false);
    for (const bad of ['2026W49', '2026-w49', '2026-W4', '2026-W049', ' 2026-W49', '1969-W10', '2026-W49x', '']) {
      expect(parseWeek(bad).ok, bad).toBe(false);
    }
  });

  it('moves by weeks across 53-week years', () => {
    expect(formatWeek(addWeeks({ year: 2026, week: 52 }, 1))).toBe('2026-W53');
    expect(formatWeek(addWeeks({ year: 2026, week: 53 }, 1))).toBe('2027-W01');
    expect(formatWeek(addWeeks({ year: 2027, week: 1 }, -1))).toBe('2026-W53');
    expect(formatWeek(addWeeks({ year: 2025, week: 1 }, -1))).toBe('2024-W52');
    expect(weeksBetween({ year: 2026, week: 49 }, { year: 2027, week: 2 })).toBe(6);
    expect(weekDates({ year: 2026, week: 49 })).toEqual({ monday: '2026-11-30', sunday: '2026-12-06' });
    expect(weekDates({ year: 2026, week: 53 })).toEqual({ monday: '2026-12-28', sunday: '2027-01-03' });
  });

  it("puts an instant in the week of the zone's wall clock", () => {
    const sundayLate = at('2026-12-06T23:30:00Z');
    expect(key(sundayLate, 'UTC')).toBe('2026-W49');
    expect(key(sundayLate, 'Europe/Berlin')).toBe('2026-W50');
    expect(key(sundayLate, 'America/Los_Angeles')).toBe('2026-W49');
    const newYear = at('2027-01-03T23:00:00Z');
    expect(key(newYear, 'UTC')).toBe('2026-W53');
    expect(key(newYear, 'Asia/Tokyo')).toBe('2027-W01');
    expect(key(at('2026-12-28T05:00:00Z'), 'Pacific/Honolulu')).toBe('2026-W52');
  });

  it('bounds weeks at local midnight, 7 days ± the DST hour', () => {
    const w = { year: 2026, week: 49 };
    expect(new Date(weekStart(w, 'UTC')).toISOString()).toBe('2026-11-30T00:00:00.000Z');
    expect(new Date(weekStart(w, 'Asia/Kolkata')).toISOString()).toBe('2026-11-29T18:30:00.000Z');
    expect(new Date(weekStart(w, 'America/New_York')).toISOString()).toBe('2026-11-30T05:00:00.000Z');
    // Europe/Berlin leaves summer time on Sunday 2026-10-25 and enters it on Sunday 2026-03-29.
    const autumn = { year: 2026, week: 43 };
    expect(new Date(weekStart(autumn, 'Europe/Berlin')).toISOString()).toBe('2026-10-18T22:00:00.000Z');
    expect(new Date(weekEnd(autumn, 'Europe/Berlin')).toISOString()).toBe('2026-10-25T23:00:00.000Z');
    expect(weekEnd(autumn, 'Europe/Berlin') - weekStart(autumn, 'Europe/Berlin')).toBe(7 * 24 * HOUR + HOUR);
    const spring = { year: 2026, week: 13 };
    expect(weekEnd(spring, 'Europe/Berlin') - weekStart(spring, 'Europe/Berlin')).toBe(7 * 24 * HOUR - HOUR);
    // New York moves its clocks at 2 am: the week still starts at midnight.
    expect(new Date(weekStart({ year: 2026, week: 11 }, 'America/New_York')).toISOString()).toBe(
      '2026-03-09T04:00:00.000Z',
    );
  });

  it('starts a day whose midnight DST skips at the moment the clocks jump', () => {
    // Chile moves its clocks from 00:00 to 01:00 on the first Sunday of September.
    const start = startOfLocalDay(2026, 9, 6, 'America/Santiago');
    expect(localTime(start, 'America/Santiago')).toMatchObject({ day: 6, hour: 1, minute: 0 });
    expect(localTime(start - 1000, 'America/Santiago')).toMatchObject({ day: 5, hour: 23, minute: 59 });
  });

  it('contains every instant in the week it names, in every zone (random instants)', () => {
    const zones = [
      'UTC',
      'Europe/Berlin',
      'America/New_York',
      'America/Santiago',
      'Asia/Kolkata',
      'Pacific/Kiritimati',
    ];
    let seed = 7;
    const random = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
    for (let i = 0; i < 2000; i++) {
      const t = at('2019-01-01T00:00:00Z') + Math.floor(random() * 10 * 365 * 24) * HOUR + Math.floor(random() * HOUR);
      const zone = zones[i % zones.length] as string;
      const w = weekOfInstant(t, zone);
      expect(weekStart(w, zone) <= t && t < weekEnd(w, zone), `${new Date(t).toISOString()} ${zone}`).toBe(true);
      expect(formatWeek(weekOfInstant(weekStart(w, zone) - 1000, zone))).toBe(formatWeek(addWeeks(w, -1)));
    }
  });

  it('accepts IANA zones by their canonical names and refuses the rest', () => {
    expect(canonicalZone('Europe/Berlin')).toBe('Europe/Berlin');
    expect(canonicalZone('europe/berlin')).toBe('Europe/Berlin');
    expect(canonicalZone('UTC')).toBe('UTC');
    for (const bad of ['Mars/Olympus', '+02:00', 'Europe/Berlin ', '', 'x'.repeat(65), '../etc']) {
      expect(canonicalZone(bad), bad).toBeNull();
    }
  });
});
