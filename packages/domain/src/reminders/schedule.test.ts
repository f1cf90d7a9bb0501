import { describe, expect, it } from 'vitest';
import { DEFAULT_REMINDERS, deferForQuietHours, isValidTimezone, reminderDueAt } from './schedule.js';

const utc = (iso: string) => new Date(iso);
const clocks = new Map<string, Intl.DateTimeFormat>();
/** `dd/mm/yyyy, hh:mm:ss` on the zone's wall clock */
const localClock = (at: Date, timeZone: string) => {
  let clock = clocks.get(timeZone);
  if (!clock) {
    clock = new Intl.DateTimeFormat('en-GB', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
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

  /** [what, zone, given instant (UTC), expected instant (UTC)] */
  const deferred: [string, string, string, string][] = [
    ['21:00 sharp', 'UTC', '2024-05-01T21:00:00Z', '2024-05-02T09:00:00.000Z'],
    ['the last millisecond of the day', 'UTC', '2024-05-01T23:59:59.999Z', '2024-05-02T09:00:00.000Z'],
    ['midnight', 'UTC', '2024-05-02T00:00:00Z', '2024-05-02T09:00:00.000Z'],
    ['half a second before 09:00', 'UTC', '2024-05-02T08:59:59.500Z', '2024-05-02T09:00:00.000Z'],
    ['21:30 in India (+05:30)', 'Asia/Kolkata', '2024-06-01T16:00:00Z', '2024-06-02T03:30:00.000Z'],
    [
      '22:00 on 31 January in New York, into February',
      'America/New_York',
      '2024-02-01T03:00:00Z',
      '2024-02-01T14:00:00.000Z',
    ],
    ['05:00 in Los Angeles', 'America/Los_Angeles', '2024-06-01T12:00:00Z', '2024-06-01T16:00:00.000Z'],
    // New York springs forward (02:00 → 03:00) on 10 March 2024: 09:00 EDT is 13:00 UTC.
    ['22:00 EST before spring forward', 'America/New_York', '2024-03-10T03:00:00Z', '2024-03-10T13:00:00.000Z'],
    ['01:30 EST, the night of spring forward', 'America/New_York', '2024-03-10T06:30:00Z', '2024-03-10T13:00:00.000Z'],
    ['07:30 EDT, after spring forward', 'America/New_York', '2024-03-10T11:30:00Z', '2024-03-10T13:00:00.000Z'],
    // New York falls back (02:00 → 01:00) on 3 November 2024: 09:00 EST is 14:00 UTC.
    ['22:00 EDT before fall back', 'America/New_York', '2024-11-03T02:00:00Z', '2024-11-03T14:00:00.000Z'],
    ['00:30 EDT, the night of fall back', 'America/New_York', '2024-11-03T04:30:00Z', '2024-11-03T14:00:00.000Z'],
    ['the second 01:30 (EST)', 'America/New_York', '2024-11-03T06:30:00Z', '2024-11-03T14:00:00.000Z'],
    [
      '22:00 GMT before London springs forward (31 March 2024)',
      'Europe/London',
      '2024-03-30T22:00:00Z',
      '2024-03-31T08:00:00.000Z',
    ],
    [
      '23:00 AEDT before Sydney falls back (7 April 2024)',
      'Australia/Sydney',
      '2024-04-06T12:00:00Z',
      '2024-04-06T23:00:00.000Z',
    ],
    [
      '22:00 at +11:00 before Lord Howe Island falls back half an hour',
      'Australia/Lord_Howe',
      '2024-04-06T11:00:00Z',
      '2024-04-06T22:30:00.000Z',
    ],
  ];

  it.each(deferred)('defers %s to the next 09:00 there (%s)', (_what, zone, given, expected) => {
    expect(deferForQuietHours(utc(given), zone).toISOString()).toBe(expected);
  });

  it('leaves a time that is daytime in the zone alone (19:00 in Tokyo)', () => {
    const at = utc('2024-06-01T10:00:00Z');
    expect(deferForQuietHours(at, 'Asia/Tokyo')).toBe(at);
  });

  it('always lands at or after the given time, outside quiet hours, and at 09:00:00 sharp when it defers', () => {
    const zones = [
      'UTC',
      'America/New_York',
      'Europe/Berlin',
      'Asia/Kolkata',
      'Australia/Lord_Howe',
      'Pacific/Chatham',
      'America/Santiago',
    ];
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
