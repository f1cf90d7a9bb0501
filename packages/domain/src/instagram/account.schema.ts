import { z } from 'zod';

/** `PUT /v1/instagram`: the brand's Instagram professional account id and a long-lived user access token. */
export const instagramConnectBody = z
  .object({
    igUserId: z.string().regex(/^\d{1,32}$/, 'must be the numeric id of an Instagram professional account'),
    accessToken: z
      .string()
      .min(20, 'must be a long-lived user access token')
      .max(1024)
      .regex(/^[A-Za-z0-9_|.-]+$/, 'must be a long-lived user access token'),
  })
  .strict();
export type InstagramConnectBody = z.infer<typeof instagramConnectBody>;

export const instagramAccountResponse = z.object({
  igUserId: z.string(),
  tokenExpiresAt: z.string().nullable(),
  warning: z.string().optional(),
});

/** Verification of a submission's post on Instagram, as list items, the detail and the CSV show it. */
export const VERIFICATION_STATES = ['verified', 'unverified', 'pending', 'removed'] as const;
export type Verification = (typeof VERIFICATION_STATES)[number];
export const verificationField = z.enum(VERIFICATION_STATES).nullable();

/** The warning a brand sees from `warnSeconds` before its token expires (an expired one is said so). */
export function tokenWarning(expiresAt: Date | null, now: Date, warnSeconds: number): string | undefined {
  if (!expiresAt) return undefined;
  const left = expiresAt.getTime() - now.getTime();
  if (left <= 0) return 'the Instagram access token has expired: connect the account again';
  if (left > warnSeconds * 1000) return undefined;
  return `the Instagram access token expires on ${expiresAt.toISOString()}; it is renewed automatically, or connect the account again`;
}
