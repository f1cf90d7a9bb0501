import { z } from 'zod';

/**
 * The Instagram Graph API's answers (Instagram API with Facebook Login), as documented: IG Media fields, the
 * cursor paging of edges (`paging.cursors.after`, with `paging.next` only while there is a next page), the
 * `business_discovery` and `mentioned_media` field expansions, `/debug_token`, the `fb_exchange_token` grant
 * and the error body. Unknown fields are ignored: Meta adds fields without a new version.
 */
export const igMedia = z.object({
  id: z.string().max(64),
  username: z.string().max(64).optional(),
  caption: z.string().max(20_000).optional(),
  permalink: z.string().max(2048).optional(),
  timestamp: z.string().max(64).optional(),
  media_type: z.string().max(32).optional(),
});
export type IgMedia = z.infer<typeof igMedia>;

export const igPaging = z
  .object({
    cursors: z.object({ before: z.string().max(512).optional(), after: z.string().max(512).optional() }).optional(),
    next: z.string().max(4096).optional(),
  })
  .optional();

export const igMediaPage = z.object({ data: z.array(igMedia).max(500), paging: igPaging });
export type IgMediaPage = z.infer<typeof igMediaPage>;

export const igBusinessDiscovery = z.object({
  business_discovery: z.object({
    id: z.string().max(64),
    username: z.string().max(64).optional(),
    media: igMediaPage.optional(),
  }),
  id: z.string().max(64),
});

export const igMentionedMedia = z.object({ mentioned_media: igMedia, id: z.string().max(64) });

export const igDebugToken = z.object({
  data: z.object({
    is_valid: z.boolean(),
    /** seconds since the epoch; 0 for a token that never expires */
    expires_at: z.number().int().min(0),
    app_id: z.string().max(64).optional(),
    user_id: z.string().max(64).optional(),
    scopes: z.array(z.string().max(128)).max(200).optional(),
  }),
});

export const igTokenExchange = z.object({
  access_token: z.string().min(1).max(2048),
  token_type: z.string().max(32).optional(),
  expires_in: z.number().int().min(0).optional(),
});

export const igErrorBody = z.object({
  error: z.object({
    message: z.string().max(2000).optional(),
    type: z.string().max(128).optional(),
    code: z.number().int(),
    error_subcode: z.number().int().optional(),
    fbtrace_id: z.string().max(128).optional(),
  }),
});
export type IgError = z.infer<typeof igErrorBody>['error'];

/** Throttling codes of the Graph API's error handling guide (4 app, 17 user, 32 page, 613 calls per hour, 80002 Instagram BUC). */
export const IG_RATE_LIMIT_CODES: ReadonlySet<number> = new Set([4, 17, 32, 613, 80002]);
/** 190: the access token expired or was revoked; a new token is needed. */
export const IG_INVALID_TOKEN_CODE = 190;
/** 100 with subcode 33: the object does not exist (or cannot be read with this token). */
export const isIgMissingObject = (e: IgError) => e.code === 100 && e.error_subcode === 33;

/** The `mentions` webhook (Instagram API with Facebook Login): `{object, entry: [{id, time, changes: [{field, value}]}]}`. */
export const igWebhookPayload = z.object({
  object: z.string().max(64),
  entry: z
    .array(
      z.object({
        id: z.string().max(64),
        time: z.number().optional(),
        changes: z
          .array(
            z.object({
              field: z.string().max(64),
              value: z.object({ media_id: z.string().max(64).optional(), comment_id: z.string().max(64).optional() }),
            }),
          )
          .max(100)
          .default([]),
      }),
    )
    .max(100),
});
export type IgWebhookPayload = z.infer<typeof igWebhookPayload>;
