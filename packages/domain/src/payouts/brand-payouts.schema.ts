import { z } from 'zod';

/** `PATCH /v1/brands/:id` (admin): how the brand's influencers are paid. */
export const brandAdminUpdateRequest = z.strictObject({
  payoutProvider: z
    .enum(['paypal', 'manual'])
    .describe("`manual`: the brand pays its influencers itself; `paypal`: the operator's provider pays them"),
});
export type BrandAdminUpdateRequest = z.infer<typeof brandAdminUpdateRequest>;

export const brandAdminResponse = z.object({
  id: z.string(),
  name: z.string(),
  payoutProvider: z.enum(['paypal', 'manual']).describe('`paypal` unless set to `manual`'),
});
