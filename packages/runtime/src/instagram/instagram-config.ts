import { z } from 'zod';

const isProduction = process.env.NODE_ENV === 'production';
/** The versioned Graph API base Seedline was written against (Instagram API with Facebook Login). */
export const PRODUCTION_GRAPH_URL = 'https://graph.facebook.com/v25.0';

const graphUrl = z
  .string()
  .refine((v) => /^https?:\/\/[^\s/]+(\/[\w.-]+)*\/?$/.test(v) && URL.canParse(v), 'must be an http(s) URL')
  .optional();
const seconds = (fallback: number) =>
  z.coerce
    .number()
    .min(0.1)
    .max(10 * 365 * 86_400)
    .default(fallback);

/**
 * Instagram settings shared by the api and the worker. INSTAGRAM_GRAPH_URL has no default outside production,
 * so a test or a development stack can never reach Meta by accident: unset, Instagram verification is off.
 */
export const instagramConfigShape = {
  INSTAGRAM_GRAPH_URL: isProduction ? graphUrl.default(PRODUCTION_GRAPH_URL) : graphUrl,
  INSTAGRAM_APP_ID: z
    .string()
    .regex(/^\d{1,32}$/, 'must be the numeric app id')
    .optional(),
  INSTAGRAM_APP_SECRET: z.string().min(8, 'must be the app secret').max(256).optional(),
  /** the brand sees a warning from this long before its token expires */
  IG_TOKEN_WARN_SECONDS: seconds(7 * 86_400),
};

/** Whether Instagram calls can be made at all with this configuration. */
export function instagramEnabled(c: {
  INSTAGRAM_GRAPH_URL?: string;
  INSTAGRAM_APP_ID?: string;
  INSTAGRAM_APP_SECRET?: string;
}): c is { INSTAGRAM_GRAPH_URL: string; INSTAGRAM_APP_ID: string; INSTAGRAM_APP_SECRET: string } {
  return !!c.INSTAGRAM_GRAPH_URL && !!c.INSTAGRAM_APP_ID && !!c.INSTAGRAM_APP_SECRET;
}

export { seconds as secondsSetting };
