import { z } from 'zod';
import { instagramAccountResponse, instagramConnectBody } from '@seedline/domain';

const textPlain = { type: 'text/plain', example: 'EVENT_RECEIVED' };

/** The Instagram routes of the catalogue (route-catalogue.ts): the brand's account and Meta's webhook. */
export const INSTAGRAM_ROUTES = [
  {
    method: 'put',
    path: '/v1/instagram',
    server: 'api',
    tag: 'Instagram',
    summary: "Connect the brand's Instagram professional account",
    description:
      'A long-lived user token of the Instagram API with Facebook Login. Its expiry is read from `GET /debug_token`; ' +
      'it is stored encrypted (AES-256-GCM under `DATA_KEY`), renewed before its 60 days run out, and never returned. ' +
      'With an account connected, submissions are verified on Instagram (`verification: "pending"` until then). ' +
      'Answers 503 `instagram_unavailable` when the server has no `INSTAGRAM_GRAPH_URL`.',
    security: 'brand',
    body: { schema: instagramConnectBody, limit: '8kb' },
    responses: {
      200: { description: 'connected', schema: instagramAccountResponse },
      400: {
        description: 'a bad body, or a token Instagram does not accept (`invalid_token`, naming `body.accessToken`)',
      },
      503: { description: 'Instagram not configured, or not reachable' },
    },
  },
  {
    method: 'get',
    path: '/v1/instagram',
    server: 'api',
    tag: 'Instagram',
    summary: 'The connected account and when its token expires',
    description: '`warning` appears from 7 days (`IG_TOKEN_WARN_SECONDS`) before the token expires.',
    security: 'brand',
    responses: {
      200: { description: 'the account', schema: instagramAccountResponse },
      404: { description: 'no account connected' },
    },
  },
  {
    method: 'delete',
    path: '/v1/instagram',
    server: 'api',
    tag: 'Instagram',
    summary: 'Disconnect the account (new submissions are judged on their typed caption again)',
    security: 'brand',
    responses: { 204: { description: 'disconnected' }, 404: { description: 'no account connected' } },
  },
  {
    method: 'get',
    path: '/v1/instagram/webhook',
    server: 'api',
    tag: 'Instagram',
    summary: "Meta's webhook subscription handshake",
    description:
      'Answers `hub.challenge` when `hub.mode` is `subscribe` and `hub.verify_token` equals `INSTAGRAM_VERIFY_TOKEN`.',
    security: 'none',
    query: z.object({
      'hub.mode': z.string().optional(),
      'hub.verify_token': z.string().optional(),
      'hub.challenge': z.string().optional(),
    }),
    responses: {
      200: { description: 'the challenge', content: { type: 'text/plain' } },
      403: { description: 'verification failed' },
    },
  },
  {
    method: 'post',
    path: '/v1/instagram/webhook',
    server: 'api',
    tag: 'Instagram',
    summary: 'Instagram `mentions` notifications (from Meta)',
    description:
      '`X-Hub-Signature-256` must be `sha256=` and the hex HMAC-SHA256 of the raw body keyed by `INSTAGRAM_APP_SECRET` ' +
      '(compared in constant time), or the request is refused with 401 and nothing is kept. Each mention is stored on ' +
      "receipt and read with `mentioned_media.media_id(...)`; a post of a signed-up influencer meeting a campaign's " +
      'rules moves them to `done` with source `instagram`.',
    security: 'none',
    headers: [{ name: 'X-Hub-Signature-256', description: '`sha256=<hex HMAC-SHA256 of the raw body>`' }],
    responses: {
      200: { description: 'stored', content: textPlain },
      400: { description: 'not an Instagram notification' },
      401: { description: 'signature missing or wrong' },
    },
  },
] as const;
