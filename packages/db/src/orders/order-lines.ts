import type { Connection } from 'mongoose';
import type { OrderRow } from '@seedline/domain';
import { ignoreExists, isDuplicateKey } from '../mongo-errors.js';

/**
 * The lines of a brand's orders reports that can verify a proof (not cancelled, priced), kept so that a proof
 * sent after the report that holds its order is verified when it arrives, not at the next upload. Only what
 * matching reads is kept (no buyer, no address); `_id` = brand, order and ASIN, so a re-upload adds nothing.
 */
interface OrderLineDoc {
  _id: string;
  brandId: string;
  orderId: string;
  asin: string;
  quantity: number;
  purchasedOn: string;
  currency: string;
  minor: number;
  at: Date;
}

export function orderLines(conn: Connection) {
  const col = conn.collection<OrderLineDoc>('amazon_order_lines');
  return {
    async store(brandId: string, rows: readonly OrderRow[]): Promise<void> {
      const at = new Date();
      const docs = new Map<string, OrderLineDoc>();
      for (const r of rows) {
        if (!r.price) continue;
        const asin = r.asin.toUpperCase();
        const _id = `${brandId}-${r.orderId}-${asin}`;
        if (!docs.has(_id)) {
          const { currency, minor } = r.price;
          docs.set(_id, {
            _id,
            brandId,
            orderId: r.orderId,
            asin,
            quantity: r.quantity,
            purchasedOn: r.purchasedOn,
            currency,
            minor,
            at,
          });
        }
      }
      const all = [...docs.values()];
      for (let i = 0; i < all.length; i += 1000) {
        try {
          await col.insertMany(all.slice(i, i + 1000), { ordered: false });
        } catch (e) {
          const writeErrors = (e as { writeErrors?: unknown[] }).writeErrors;
          if (!writeErrors?.length || !writeErrors.every((w) => isDuplicateKey(w))) throw e;
        }
      }
    },
    /** The stored lines of these orders, as report rows (line 0: they come from an earlier upload). */
    async find(brandId: string, orderIds: readonly string[]): Promise<OrderRow[]> {
      if (orderIds.length === 0) return [];
      const docs = await col.find({ brandId, orderId: { $in: [...orderIds] } }).toArray();
      return docs.map((d) => ({
        line: 0,
        orderId: d.orderId,
        asin: d.asin,
        quantity: d.quantity,
        purchasedOn: d.purchasedOn,
        purchasedAt: null,
        orderStatus: 'Shipped',
        itemStatus: 'Shipped',
        price: { currency: d.currency, minor: d.minor },
      }));
    },
    async ensureIndexes(): Promise<void> {
      await conn.createCollection('amazon_order_lines').catch(ignoreExists);
      await col.createIndex({ brandId: 1, orderId: 1 });
    },
  };
}
export type OrderLines = ReturnType<typeof orderLines>;
