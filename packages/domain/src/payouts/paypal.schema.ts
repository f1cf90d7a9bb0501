import { z } from 'zod';

/**
 * The parts of the PayPal Payouts API v1's answers Seedline reads (developer.paypal.com/docs/api/payments.payouts-batch/v1/
 * and paypal/paypal-rest-api-specifications `payments_payouts_batch_v1.json`). Loose objects: PayPal adds fields
 * over time, and an unknown one must never fail a payout.
 */
export const payPalToken = z.looseObject({
  access_token: z.string().min(1).max(4096),
  token_type: z.string().optional(),
  /** seconds */
  expires_in: z.number().int().positive(),
});

const hateoasLink = z.looseObject({ href: z.string().max(20_000), rel: z.string().optional() });

export const payPalError = z.looseObject({
  name: z.string().max(200).optional(),
  message: z.string().max(10_000).optional(),
  debug_id: z.string().max(200).optional(),
  details: z
    .array(
      z.looseObject({
        field: z.string().max(1000).optional(),
        issue: z.string().max(1000).optional(),
        /** a duplicate `sender_batch_id` puts the link to the original payout here */
        link: z.array(hateoasLink).optional(),
      }),
    )
    .optional(),
  links: z.array(hateoasLink).optional(),
});
export type PayPalError = z.infer<typeof payPalError>;

export const payPalCreated = z.looseObject({
  batch_header: z.looseObject({ payout_batch_id: z.string().min(1).max(64), batch_status: z.string().max(40) }),
});

export const payPalItem = z.looseObject({
  payout_item_id: z.string().min(1).max(64),
  transaction_id: z.string().max(64).optional(),
  transaction_status: z.string().max(40).optional(),
  payout_batch_id: z.string().max(64).optional(),
  payout_item: z.looseObject({ sender_item_id: z.string().max(63).optional() }).optional(),
  errors: z.looseObject({ name: z.string().max(200).optional() }).optional(),
});
export type PayPalItem = z.infer<typeof payPalItem>;

export const payPalBatch = z.looseObject({
  batch_header: z.looseObject({ payout_batch_id: z.string().min(1).max(64), batch_status: z.string().max(40) }),
  items: z.array(payPalItem).max(15_000).optional(),
});
export type PayPalBatch = z.infer<typeof payPalBatch>;
