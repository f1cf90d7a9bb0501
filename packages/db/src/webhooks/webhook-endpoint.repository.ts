import { randomBytes } from 'node:crypto';
import type { Connection } from 'mongoose';
import { ignoreExists } from '../mongo-errors.js';

/** A signing secret; the current one first, a rotated-out one with the end of its overlap. */
export interface EndpointSecret {
  /** `sealWebhookSecret(whsec_…, DATA_KEY)`; the plain `whsec_…` on endpoints saved before sealing */
  secret: string;
  expiresAt: Date | null;
}

/**
 * A brand's webhook endpoint. Its secrets are sealed under DATA_KEY by whoever writes them (the api), so a
 * copy of the database alone signs nothing; `sealPlain` migrates those stored before sealing.
 */
export interface WebhookEndpointDoc {
  _id: string;
  brandId: string;
  url: string;
  events: string[];
  description: string | null;
  secrets: EndpointSecret[];
  createdAt: Date;
  disabledAt: Date | null;
  disabledReason: 'gone' | 'failing' | null;
  /** the first failure of the current run of failures; cleared by a success */
  failingSince: Date | null;
}

export function webhookEndpointRepository(conn: Connection) {
  const col = conn.collection<WebhookEndpointDoc>('webhook_endpoints');
  return {
    async create(e: Omit<WebhookEndpointDoc, '_id' | 'createdAt' | 'disabledAt' | 'disabledReason' | 'failingSince'>) {
      const doc: WebhookEndpointDoc = {
        _id: randomBytes(12).toString('hex'),
        ...e,
        createdAt: new Date(),
        disabledAt: null,
        disabledReason: null,
        failingSince: null,
      };
      await col.insertOne(doc);
      return doc;
    },
    /** The brand's endpoint, or null (another brand's is null too). */
    find(brandId: string, id: string): Promise<WebhookEndpointDoc | null> {
      return col.findOne({ _id: id, brandId });
    },
    findById(id: string): Promise<WebhookEndpointDoc | null> {
      return col.findOne({ _id: id });
    },
    /** Several endpoints in one read, by id (the absent ones are missing from the map). */
    async findByIds(ids: readonly string[]): Promise<Map<string, WebhookEndpointDoc>> {
      const docs = await col.find({ _id: { $in: [...new Set(ids)] } }).toArray();
      return new Map(docs.map((d) => [d._id, d]));
    },
    list(brandId: string): Promise<WebhookEndpointDoc[]> {
      return col.find({ brandId }).sort({ createdAt: 1, _id: 1 }).limit(100).toArray();
    },
    countFor(brandId: string): Promise<number> {
      return col.countDocuments({ brandId });
    },
    /** Enabled endpoints of the brand (the fan-out filters them by event type). */
    enabledFor(brandId: string): Promise<WebhookEndpointDoc[]> {
      return col.find({ brandId, disabledAt: null }).toArray();
    },
    async update(brandId: string, id: string, set: Partial<WebhookEndpointDoc>): Promise<WebhookEndpointDoc | null> {
      return col.findOneAndUpdate({ _id: id, brandId }, { $set: set }, { returnDocument: 'after' });
    },
    async remove(brandId: string, id: string): Promise<boolean> {
      return (await col.deleteOne({ _id: id, brandId })).deletedCount === 1;
    },
    /** A failure: starts the run of failures unless one is running (null sorts below dates: no `$min`). */
    async failed(id: string, at: Date): Promise<WebhookEndpointDoc | null> {
      await col.updateOne({ _id: id, failingSince: null }, { $set: { failingSince: at } });
      return col.findOne({ _id: id });
    },
    async succeeded(id: string): Promise<void> {
      await col.updateOne({ _id: id, failingSince: { $ne: null } }, { $set: { failingSince: null } });
    },
    /** Disables an enabled endpoint; true only for the caller whose update did it (one notice per disabling). */
    async disable(id: string, reason: 'gone' | 'failing', at: Date): Promise<boolean> {
      const res = await col.updateOne(
        { _id: id, disabledAt: null },
        { $set: { disabledAt: at, disabledReason: reason } },
      );
      return res.modifiedCount === 1;
    },
    /**
     * Seals the plain `whsec_` secrets of endpoints saved before sealing (one endpoint, or all); a
     * compare-and-set on the secrets read, so a rotation in between is never undone. Returns endpoints sealed.
     */
    async sealPlain(seal: (plain: string) => string, id?: string): Promise<number> {
      // A fixed prefix anchored at the start: no user input reaches this pattern.
      const filter = { 'secrets.secret': { $regex: '^whsec_' }, ...(id ? { _id: id } : {}) };
      let sealed = 0;
      for (const doc of await col
        .find(filter as never)
        .limit(10_000)
        .toArray()) {
        const secrets = doc.secrets.map((s) => (s.secret.startsWith('whsec_') ? { ...s, secret: seal(s.secret) } : s));
        const res = await col.updateOne({ _id: doc._id, secrets: doc.secrets }, { $set: { secrets } });
        sealed += res.modifiedCount;
      }
      return sealed;
    },
    async ensureIndexes(): Promise<void> {
      await conn.createCollection('webhook_endpoints').catch(ignoreExists);
      await col.createIndex({ brandId: 1, createdAt: 1 });
    },
  };
}
export type WebhookEndpointRepository = ReturnType<typeof webhookEndpointRepository>;
