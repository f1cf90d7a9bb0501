import { z } from 'zod';
import { canonicalZone } from './zoned-time.js';

/** An IANA zone, returned in its canonical spelling (`europe/berlin` → `Europe/Berlin`). */
export const timezoneName = z
  .string()
  .max(64)
  .transform((name, ctx) => {
    const zone = canonicalZone(name);
    if (zone === null) {
      ctx.addIssue({ code: 'custom', message: 'must be an IANA time zone such as Europe/Berlin or UTC' });
      return z.NEVER;
    }
    return zone;
  });

/** `PATCH /v1/brand`: `contactEmail: null` removes the address. */
export const brandSettingsRequest = z
  .strictObject({
    timezone: timezoneName.optional(),
    contactEmail: z.email().max(254).nullable().optional(),
  })
  .refine((v) => Object.keys(v).length > 0, 'give at least one field to change');
export type BrandSettingsRequest = z.infer<typeof brandSettingsRequest>;

const weekKey = z.string().describe('ISO week, e.g. 2026-W49');

export const brandResponse = z.object({
  id: z.string(),
  name: z.string(),
  timezone: z.string().describe('the zone of statements from `timezoneFrom` on (IANA; default UTC)'),
  timezoneFrom: weekKey.describe('first week the zone applies to: a change applies from the week after it is made'),
  currentTimezone: z.string().describe('the zone of the week in progress'),
  currentWeek: weekKey,
  timezoneHistory: z.array(z.object({ zone: z.string(), fromWeek: weekKey })),
  contactEmail: z.string().nullable(),
  createdAt: z.iso.datetime(),
});
export type BrandResponse = z.infer<typeof brandResponse>;
