import { describe, expect, it } from 'vitest';
import { addWeeks, formatWeek } from './iso-week.js';
import { scheduleZoneChange, weekBounds, weekContaining, zoneForWeek, type ZoneChange } from './zone-schedule.js';

const at = (iso: string) => Date.parse(iso);
const w = (year: number, week: number) => ({ year, week });

describe('zone history', () => {
  it('defaults to UTC and applies a change from the next week', () => {
    // Wednesday of 2026-W49
    const { history, fromWeek } = scheduleZoneChange([], 'Asia/Tokyo', at('2026-12-02T12:00:00Z'));
    expect(fromWeek).toBe('2026-W50');
    expect(history).toEqual([{ zone: 'Asia/Tokyo', fromWeek: '2026-W50' }]);
    expect(zoneForWeek(history, w(2026, 49))).toBe('UTC');
    expect(zoneForWeek(history, w(2026, 50))).toBe('Asia/Tokyo');
    expect(zoneForWeek(history, w(2027, 10))).toBe('Asia/Tokyo');
  });

  it('keeps the bounds of the week in progress and of every earlier week', () => {
    const now = at('2026-12-02T12:00:00Z');
    const before = weekBounds([], w(2026, 49));
    const { history } = scheduleZoneChange([], 'Asia/Tokyo', now);
    const after = weekBounds(history, w(2026, 49));
    expect(after.start).toBe(before.start);
    expect(after.zone).toBe('UTC');
    // The week in progress ends where the next one starts, in its new zone (Sunday 15:00 UTC = Monday 00:00 JST).
    expect(new Date(after.end).toISOString()).toBe('2026-12-06T15:00:00.000Z');
    expect(weekBounds(history, w(2026, 50)).start).toBe(after.end);
    for (let k = 1; k < 10; k++) expect(weekBounds(history, w(2026, 49 - k))).toEqual(weekBounds([], w(2026, 49 - k)));
  });

  it('waits a week more when next week has begun in the new zone: the week in progress never ends in the past', () => {
    // Sunday 12:00 UTC of 2026-W49: Monday of W50 began at 10:00 UTC in Kiritimati (UTC+14).
    const now = at('2026-12-06T12:00:00Z');
    const { history, fromWeek } = scheduleZoneChange([], 'Pacific/Kiritimati', now);
    expect(fromWeek).toBe('2026-W51');
    expect(weekBounds(history, w(2026, 49))).toEqual(weekBounds([], w(2026, 49)));
    expect(formatWeek(weekContaining(history, at('2026-12-06T11:00:00Z')))).toBe('2026-W49');
    expect(weekBounds(history, w(2026, 50)).end).toBeGreaterThan(now);
    // Tokyo's Monday starts at 15:00 UTC, still ahead: it applies from next week as usual.
    expect(scheduleZoneChange([], 'Asia/Tokyo', now).fromWeek).toBe('2026-W50');
  });

  it('replaces a change still pending, and changes nothing when asked for the zone in force', () => {
    const now = at('2026-12-02T12:00:00Z');
    const first = scheduleZoneChange([], 'Asia/Tokyo', now).history;
    const second = scheduleZoneChange(first, 'Europe/Berlin', now + 3_600_000);
    expect(second.history).toEqual([{ zone: 'Europe/Berlin', fromWeek: '2026-W50' }]);
    expect(scheduleZoneChange(second.history, 'UTC', now).history).toEqual([]);
    const settled: ZoneChange[] = [{ zone: 'Europe/Berlin', fromWeek: '2026-W40' }];
    expect(scheduleZoneChange(settled, 'Europe/Berlin', now)).toEqual({ history: settled, fromWeek: '2026-W40' });
  });

  it('partitions time: every instant in exactly one week, across several changes', () => {
    const history: ZoneChange[] = [
      { zone: 'Pacific/Kiritimati', fromWeek: '2026-W10' },
      { zone: 'Pacific/Pago_Pago', fromWeek: '2026-W11' },
      { zone: 'Europe/Berlin', fromWeek: '2026-W13' },
    ];
    let week = w(2026, 8);
    let prev = weekBounds(history, week);
    for (let i = 0; i < 10; i++) {
      week = addWeeks(week, 1);
      const b = weekBounds(history, week);
      expect(b.start).toBe(prev.end);
      expect(b.end).toBeGreaterThan(b.start);
      for (const t of [b.start, b.start + 1, b.end - 1]) expect(formatWeek(weekContaining(history, t))).toBe(b.week);
      prev = b;
    }
  });
});
