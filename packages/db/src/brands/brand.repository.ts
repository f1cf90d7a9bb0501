import { createHash, randomBytes } from 'node:crypto';
import { Types, type Connection } from 'mongoose';
import { brandModel, type BrandDoc } from './brand.schema.js';
import { ignoreExists } from '../mongo-errors.js';
import { updateBrandSettings } from './brand-settings.js';
import type { BrandSettingsRequest } from '@seedline/domain';

export function hashApiKey(apiKey: string): string {
  return createHash('sha256').update(apiKey).digest('hex');
}

export function brandRepository(conn: Connection) {
  const Brand = brandModel(conn);
  return {
    async create(name: string): Promise<{ brand: BrandDoc; apiKey: string }> {
      const apiKey = `sk_live_${randomBytes(24).toString('base64url')}`;
      const brand: BrandDoc = {
        _id: new Types.ObjectId().toHexString(),
        name,
        apiKeyHash: hashApiKey(apiKey),
        createdAt: new Date(),
      };
      await Brand.create(brand);
      return { brand, apiKey };
    },
    async findById(id: string): Promise<BrandDoc | null> {
      return Brand.findById(id).lean<BrandDoc>().exec();
    },
    async findByApiKey(apiKey: string): Promise<BrandDoc | null> {
      return Brand.findOne({ apiKeyHash: hashApiKey(apiKey) })
        .lean<BrandDoc>()
        .exec();
    },
    /** `PATCH /v1/brand`: a zone change applies from the next week (see the domain's zone schedule). */
    updateSettings(id: string, change: BrandSettingsRequest, nowMs = Date.now()): Promise<BrandDoc | null> {
      return updateBrandSettings(conn, id, change, nowMs);
    },
    /** `PATCH /v1/brands/:id` (admin): one field, set outright. */
    async setPayoutProvider(id: string, payoutProvider: 'paypal' | 'manual'): Promise<BrandDoc | null> {
      return Brand.findOneAndUpdate({ _id: id }, { $set: { payoutProvider } }, { new: true }).lean<BrandDoc>().exec();
    },
    async ensureIndexes(): Promise<void> {
      await Brand.createCollection().catch(ignoreExists);
      await Brand.syncIndexes();
    },
  };
}
export type BrandRepository = ReturnType<typeof brandRepository>;
