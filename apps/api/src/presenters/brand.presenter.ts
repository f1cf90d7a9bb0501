import type { BrandDoc } from '@seedline/db';
import { formatWeek, weekContaining, zoneForWeek, type BrandResponse, DEFAULT_ZONE } from '@seedline/domain';

export function presentBrand(b: BrandDoc, nowMs = Date.now()): BrandResponse {
  const history = b.timezoneHistory ?? [];
  const current = weekContaining(history, nowMs);
  const last = history[history.length - 1];
  return {
    id: b._id,
    name: b.name,
    timezone: last?.zone ?? DEFAULT_ZONE,
    timezoneFrom: last?.fromWeek ?? '1970-W01',
    currentTimezone: zoneForWeek(history, current),
    currentWeek: formatWeek(current),
    timezoneHistory: history.map((c) => ({ zone: c.zone, fromWeek: c.fromWeek })),
    contactEmail: b.contactEmail ?? null,
    createdAt: new Date(b.createdAt).toISOString(),
  };
}
