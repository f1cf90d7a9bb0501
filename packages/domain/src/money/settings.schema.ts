import { z } from 'zod';
import { formatMoney, formatRate, parseMoney, parseRate } from './amount.js';
import { isCurrency } from './currency.js';

export const APPROVAL_MODES = ['auto', 'review'] as const;
export type ApprovalMode = (typeof APPROVAL_MODES)[number];

/** A campaign's reimbursement settings as stored: minor units, the tax rate in millionths. */
export interface ReimbursementSettings {
  price: number;
  shipping: number;
  taxRatePpm: number;
  bonus: number;
  currency: string;
  approval: ApprovalMode;
  /** null: no budget limit */
  budget: number | null;
  /** automatic approval waits until the brand's order report shows the order (read by order matching) */
  requireOrderMatch: boolean;
}

export const currencyCode = z
  .string()
  .max(3)
  .refine(isCurrency, 'must be an ISO 4217 currency code such as "USD"')
  .describe('ISO 4217 code');
const decimal = z.string().max(24).describe('decimal string with the currency\'s minor digits, e.g. "24.99"');

/**
 * `reimbursement` on campaign create and update (the whole object each time: amounts are read in its
 * currency). Amounts become minor units here; a bad one fails naming its own field.
 */
export const reimbursementSettingsRequest = z
  .strictObject({
    price: decimal,
    shipping: decimal.optional(),
    taxRate: z.string().max(8).optional().describe('decimal-string fraction, e.g. "0.0825"'),
    bonus: decimal.optional(),
    currency: currencyCode,
    approval: z.enum(APPROVAL_MODES),
    budget: decimal.nullable().optional().describe('most that approved + paid may reach; absent or null: no limit'),
    requireOrderMatch: z.boolean().optional(),
  })
  .transform((v, ctx): ReimbursementSettings => {
    const money = (field: 'price' | 'shipping' | 'bonus' | 'budget', text: string | null | undefined): number => {
      if (text === undefined || text === null) return 0;
      const parsed = parseMoney(text, v.currency);
      if (parsed.ok) return parsed.minor;
      ctx.addIssue({ code: 'custom', path: [field], message: parsed.message });
      return 0;
    };
    let taxRatePpm = 0;
    if (v.taxRate !== undefined) {
      const rate = parseRate(v.taxRate);
      if (rate.ok) taxRatePpm = rate.ppm;
      else ctx.addIssue({ code: 'custom', path: ['taxRate'], message: rate.message });
    }
    return {
      price: money('price', v.price),
      shipping: money('shipping', v.shipping),
      taxRatePpm,
      bonus: money('bonus', v.bonus),
      currency: v.currency,
      approval: v.approval,
      budget: v.budget === undefined || v.budget === null ? null : money('budget', v.budget),
      requireOrderMatch: v.requireOrderMatch ?? false,
    };
  });

const isoTime = z.iso.datetime();
export const reimbursementSettingsResponse = z.object({
  price: z.string(),
  shipping: z.string(),
  taxRate: z.string(),
  bonus: z.string(),
  currency: z.string(),
  approval: z.enum(APPROVAL_MODES),
  budget: z.string().nullable(),
  requireOrderMatch: z.boolean(),
  priceHistory: z
    .array(z.object({ price: z.string(), from: isoTime }))
    .describe('every price set, oldest first: an influencer is owed the one in force at their first purchase click'),
});
export type ReimbursementSettingsResponse = z.infer<typeof reimbursementSettingsResponse>;

export function presentReimbursementSettings(
  s: ReimbursementSettings,
  history: readonly { price: number; from: Date }[],
): ReimbursementSettingsResponse {
  const m = (minor: number) => formatMoney(minor, s.currency);
  return {
    price: m(s.price),
    shipping: m(s.shipping),
    taxRate: formatRate(s.taxRatePpm),
    bonus: m(s.bonus),
    currency: s.currency,
    approval: s.approval,
    budget: s.budget === null ? null : m(s.budget),
    requireOrderMatch: s.requireOrderMatch,
    priceHistory: history.map((p) => ({ price: m(p.price), from: new Date(p.from).toISOString() })),
  };
}
