import type { Connection } from 'mongoose';
import { scheduleZoneChange, type BrandSettingsRequest } from '@seedline/domain';
import { brandModel, type BrandDoc } from './brand.schema.js';

/**
 * Applies a brand's settings change with a compare-and-set on `settingsRev` (one document, no transaction), so
 * two changes at once never lose one: the zone history is recomputed from what the winner wrote.
 */
export async function updateBrandSettings(
  conn: Connection,
  brandId: string,
  change: BrandSettingsRequest,
  nowMs: number,
): Promise<BrandDoc | null> {
  const Brand = brandModel(conn);
  for (let attempt = 0; attempt < 10; attempt++) {
    const brand = await Brand.findById(brandId).lean<BrandDoc>().exec();
    if (!brand) return null;
    const set: Partial<BrandDoc> = { settingsRev: (brand.settingsRev ?? 0) + 1 };
    if (change.timezone !== undefined) {
      set.timezone = change.timezone;
      set.timezoneHistory = scheduleZoneChange(brand.timezoneHistory ?? [], change.timezone, nowMs).history;
    }
    if (change.contactEmail !== undefined) set.contactEmail = change.contactEmail;
    const guard =
      brand.settingsRev === undefined ? { settingsRev: { $exists: false } } : { settingsRev: brand.settingsRev };
    const res = await Brand.updateOne({ _id: brandId, ...guard }, { $set: set }).exec();
    if (res.matchedCount === 1) return { ...brand, ...set };
  }
  throw new Error(`brand ${brandId}: settings kept changing under 10 attempts`);
}
