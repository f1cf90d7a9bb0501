import { describe, expect, it } from 'vitest';
import { DEFAULT_REMINDERS, deferForQuietHours, isValidTimezone, reminderDueAt } from './schedule.js';

const utc = (iso: string) => new Date(iso);
const clocks = new Map<string, Intl.DateTimeFormat>();
/** `dd/mm/yyyy, hh:mm:ss` on the zone's wall clock */
const localClock = (at: Date, timeZone: string) => {
  let clock = clocks.get(timeZone);
  if (!clock) {
    clock = new Intl.DateTimeFormat('en-GB', { timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' });
    clocks.set(timeZone, clock);
  }
  return clock.format(at);
};

describe('reminderDueAt', () => {
  const policy = { firstAfterSeconds: 60, everySeconds: 300, max: 3 };
  const from = utc('2024-05-01T10:00:00Z');

  it('waits firstAfterSeconds for the first reminder and everySeconds for the next ones', () => {
    expect(reminderDueAt(policy, 1, from)?.toISOString()).toBe('2024-05-01T10:01:00.000Z');
    expect(reminderDueAt(policy, 2, from)?.toISOString()).toBe('2024-05-01T10:05:00.000Z');
    expect(reminderDueAt(policy, 3, from)?.toISOString()).toBe('2024-05-01T10:05:00.000Z');
  });

  it('stops after max reminders', () => {
    expect(reminderDueAt(policy, 4, from)).toBeNull();
    expect(reminderDueAt({ ...policy, max: 0 }, 1, from)).toBeNull();
  });

  it('has the contract defaults: purchase 48 h / 72 h / 3, review 72 h / 96 h / 2', () => {
    expect(DEFAULT_REMINDERS).toEqual({
      purchase: { firstAfterSeconds: 48 * 3600, everySeconds: 72 * 3600, max: 3 },
      review: { firstAfterSeconds: 72 * 3600, everySeconds: 96 * 3600, max: 2 },
    });
  });
});

describe('deferForQuietHours', () => {
  it('leaves the time alone without a usable time zone', () => {
    const at = utc('2024-05-01T23:30:00Z');
    expect(deferForQuietHours(at, null)).toBe(at);
    expect(deferForQuietHours(at, undefined)).toBe(at);
    expect(deferForQuietHours(at, 'Mars/Olympus_Mons')).toBe(at);
    expect(isValidTimezone('Mars/Olympus_Mons')).toBe(false);
    expect(isValidTimezone('Europe/Berlin')).toBe(true);
  });

  it('sends at once between 09:00 and 21:00 local time', () => {
    for (const iso of ['2024-05-01T09:00:00Z', '2024-05-01T12:34:56Z', '2024-05-01T20:59:59Z']) {
      const at = utc(iso);
      expect(deferForQuietHours(at, 'UTC')).toBe(at);
    }
  });

  it('defers 21:00 up to 09:00 to the next 09:00, to the second', () => {
    expect(deferForQuietHours(utc('2024-05-01T21:00:00Z'), 'UTC').toISOString()).toBe('2024-05-02T09:00:00.000Z');
    expect(deferForQuietHours(utc('2024-05-01T23:59:59.999Z'), 'UTC').toISOString()).toBe('2024-05-02T09:00:00.000Z');
    expect(deferForQuietHours(utc('2024-05-02T00:00:00Z'), 'UTC').toISOString()).toBe('2024-05-02T09:00:00.000Z');
    expect(deferForQuietHours(utc('2024-05-02T08:59:59.500Z'), 'UTC').toISOString()).toBe('2024-05-02T09:00:00.000Z');
  });

  it('uses the influencer’s zone, including half-hour offsets and month ends', () => {
    // 21:30 in India (+05:30) → 09:00 there the next morning.
    expect(deferForQuietHours(utc('2024-06-01T16:00:00Z'), 'Asia/Kolkata').toISOString()).toBe('2024-06-02T03:30:00.000Z');
    // 22:00 on 31 January in New York (−05:00) → 09:00 on 1 February.
    expect(deferForQuietHours(utc('2024-02-01T03:00:00Z'), 'America/New_York').toISOString()).toBe('2024-02-01T14:00:00.000Z');
    // 10:00 UTC is 19:00 in Tokyo: no deferral there, but 05:00 in Los Angeles is deferred.
    const at = utc('2024-06-01T10:00:00Z');
    expect(deferForQuietHours(at, 'Asia/Tokyo')).toBe(at);
    expect(deferForQuietHours(utc('2024-06-01T12:00:00Z'), 'America/Los_Angeles').toISOString()).toBe('2024-06-01T16:00:00.000Z');
  });

  describe('across daylight-saving changes', () => {
    it('New York, spring forward (02:00 → 03:00 on 10 March 2024)', () => {
      // 22:00 EST the evening before and 01:30 EST in the night both wait for 09:00 EDT (13:00 UTC).
      expect(deferForQuietHours(utc('2024-03-10T03:00:00Z'), 'America/New_York').toISOString()).toBe('2024-03-10T13:00:00.000Z');
      expect(deferForQuietHours(utc('2024-03-10T06:30:00Z'), 'America/New_York').toISOString()).toBe('2024-03-10T13:00:00.000Z');
      // 07:30 EDT, after the change.
      expect(deferForQuietHours(utc('2024-03-10T11:30:00Z'), 'America/New_York').toISOString()).toBe('2024-03-10T13:00:00.000Z');
    });

    it('New York, fall back (02:00 → 01:00 on 3 November 2024)', () => {
      // 22:00 EDT, 00:30 EDT, and 01:30 EST (the second 01:30) all wait for 09:00 EST (14:00 UTC).
      expect(deferForQuietHours(utc('2024-11-03T02:00:00Z'), 'America/New_York').toISOString()).toBe('2024-11-03T14:00:00.000Z');
      expect(deferForQuietHours(utc('2024-11-03T04:30:00Z'), 'America/New_York').toISOString()).toBe('2024-11-03T14:00:00.000Z');
      expect(deferForQuietHours(utc('2024-11-03T06:30:00Z'), 'America/New_York').toISOString()).toBe('2024-11-03T14:00:00.000Z');
    });

    it('London, spring forward (01:00 → 02:00 on 31 March 2024)', () => {
      expect(deferForQuietHours(utc('2024-03-30T22:00:00Z'), 'Europe/London').toISOString()).toBe('2024-03-31T08:00:00.000Z');
    });

    it('Sydney, autumn (03:00 → 02:00 on 7 April 2024)', () => {
      // 23:00 AEDT (+11) → 09:00 AEST (+10) the next morning.
      expect(deferForQuietHours(utc('2024-04-06T12:00:00Z'), 'Australia/Sydney').toISOString()).toBe('2024-04-06T23:00:00.000Z');
    });

    it('Lord Howe Island, a half-hour change (02:00 → 01:30 on 7 April 2024)', () => {
      // 22:00 at +11:00 → 09:00 at +10:30.
      expect(deferForQuietHours(utc('2024-04-06T11:00:00Z'), 'Australia/Lord_Howe').toISOString()).toBe('2024-04-06T22:30:00.000Z');
    });
  });

  it('always lands at or after the given time, outside quiet hours, and at 09:00:00 sharp when it defers', () => {
    const zones = ['UTC', 'America/New_York', 'Europe/Berlin', 'Asia/Kolkata', 'Australia/Lord_Howe', 'Pacific/Chatham', 'America/Santiago'];
    let seed = 42;
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const start = utc('2024-01-01T00:00:00Z').getTime();
    for (let i = 0; i < 2000; i++) {
      const at = new Date(start + Math.floor(random() * 366 * 86_400_000));
      const zone = zones[i % zones.length] as string;
      const out = deferForQuietHours(at, zone);
      const clock = localClock(out, zone);
      const hour = Number(clock.slice(12, 14));
      expect(out.getTime()).toBeGreaterThanOrEqual(at.getTime());
      expect(out.getTime() - at.getTime()).toBeLessThanOrEqual(13 * 3_600_000);
      expect(hour >= 9 && hour < 21, `${zone} ${at.toISOString()} → ${clock}`).toBe(true);
      if (out.getTime() !== at.getTime()) expect(clock.slice(12), `${zone} ${at.toISOString()}`).toBe('09:00:00');
    }
  });
});
