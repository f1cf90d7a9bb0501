/**
 * Wall-clock time in an IANA zone, with nothing but `Intl` (no date library): the local date and time of an
 * instant, and the instant at which a local date begins. Offsets are read from the platform's zone data.
 */
const DAY_MS = 86_400_000;

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatterFor(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(zone, f);
  }
  return f;
}

/**
 * The canonical name of an IANA zone (`europe/berlin` → `Europe/Berlin`, `Etc/UTC` kept), or null when the
 * platform does not know it. Fixed offsets (`+02:00`) are refused: they are not zones and know nothing of DST.
 */
export function canonicalZone(name: string): string | null {
  if (name.length === 0 || name.length > 64 || !/^[A-Za-z][A-Za-z0-9_+\-/]*$/.test(name)) return null;
  try {
    return new Intl.DateTimeFormat('en-US', { timeZone: name }).resolvedOptions().timeZone;
  } catch {
    return null;
  }
}

/** Local calendar fields of an instant in a zone. */
export interface LocalTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

export function localTime(instantMs: number, zone: string): LocalTime {
  const out: LocalTime = { year: 0, month: 0, day: 0, hour: 0, minute: 0, second: 0 };
  for (const part of formatterFor(zone).formatToParts(new Date(instantMs))) {
    if (part.type in out) out[part.type as keyof LocalTime] = Number.parseInt(part.value, 10);
  }
  return out;
}

/** The local wall-clock reading of an instant, as if it were UTC milliseconds (seconds precision). */
function localAsUtc(instantMs: number, zone: string): number {
  const t = localTime(instantMs, zone);
  return Date.UTC(t.year, t.month - 1, t.day, t.hour, t.minute, t.second);
}

/** The zone's offset from UTC at an instant, in milliseconds (east positive). */
export function offsetAt(instantMs: number, zone: string): number {
  const whole = instantMs - (((instantMs % 1000) + 1000) % 1000);
  return localAsUtc(whole, zone) - whole;
}

/**
 * The instant at which a local wall-clock time (given as UTC milliseconds of its fields) happens in a zone.
 * Ambiguous times (clocks going back) take the earlier instant; times that do not exist (clocks going forward,
 * e.g. a midnight skipped by DST) take the instant the clocks jumped, as JavaScript's Temporal does
 * (`disambiguation: "compatible"`). Zones change offset at most a few times a year, never twice within a day.
 */
export function instantOfLocal(localMs: number, zone: string): number {
  const before = offsetAt(localMs - DAY_MS, zone);
  const after = offsetAt(localMs + DAY_MS, zone);
  const candidates = [localMs - before, localMs - after].filter((t) => localAsUtc(t, zone) === localMs);
  if (candidates.length > 0) return Math.min(...candidates);
  return localMs - before;
}

/** The first instant of a local calendar day (`month` 1-based; out-of-range days roll over as Date.UTC does). */
export function startOfLocalDay(year: number, month: number, day: number, zone: string): number {
  return instantOfLocal(Date.UTC(year, month - 1, day), zone);
}
