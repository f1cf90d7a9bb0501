import { z } from 'zod';
import { clicksRequest, signupRequest, submissionRequest } from '@seedline/domain';
import { REMINDER_INGEST_ROUTES } from './reminder-routes.js';

const html = { type: 'text/html' };

const ingestSignupResponse = z.object({
  influencerId: z.string(),
  instagramHandle: z.string(),
  links: z.object({ purchase: z.string(), review: z.string(), submit: z.string() }),
});

/** The ingest app's routes in the catalogue (route-catalogue.ts), served on the ingest's own server. */
export const INGEST_ROUTES = [
  {
    method: 'post',
    path: '/v1/signups',
    conflicts: true,
    server: 'ingest',
    tag: 'Ingest',
    summary: 'Sign an influencer up to a campaign',
    description:
      'Handles are normalised (leading @ dropped, lower-cased); the same handle in the same campaign gets the same id.',
    security: 'ingest',
    // 404: no such campaign (CONTRACT)
    alsoErrors: [404],
    body: { schema: signupRequest, limit: '64kb' },
    responses: { 202: { description: 'accepted', schema: ingestSignupResponse } },
  },
  {
    method: 'get',
    path: '/l/:token',
    server: 'ingest',
    tag: 'Ingest',
    summary: 'Tracked link: redirects to the product or review page',
    description:
      'Always redirects a valid token (bots too, without moving a status); a forged or tampered token gets 404. ' +
      'A target stored before the redirect allow-list and refused by it now answers 410 (the click is recorded).',
    security: 'none',
    responses: {
      302: {
        description: 'redirect',
        headers: {
          Location:
            "the campaign's productUrl (or, for a purchase link, the influencer's own Amazon Attribution tag) or reviewUrl",
        },
      },
      404: { description: 'unknown link', content: html },
      410: { description: '`link_disabled` (also in `X-Error-Code`): the target is not allowed', content: html },
    },
  },
  {
    method: 'get',
    path: '/s/:token',
    server: 'ingest',
    tag: 'Ingest',
    summary: 'Post submission form',
    security: 'none',
    responses: {
      200: { description: 'HTML form', content: html },
      404: { description: 'unknown link', content: html },
    },
  },
  {
    method: 'post',
    path: '/v1/submissions',
    server: 'ingest',
    tag: 'Ingest',
    summary: 'Submit an Instagram post',
    description:
      'Authorised by the submit token in the body. Accepted when the caption holds every required hashtag and mention.',
    security: 'none',
    // 401 `invalid_token` (at `body.token`), 404 no such campaign, 429 over the per-client limit (`Retry-After`)
    alsoErrors: [401, 404, 429],
    body: { schema: submissionRequest, limit: '64kb' },
    responses: {
      202: {
        description: 'queued for review; `missing` names what the submission still lacks (the post, or the proof)',
        schema: z.object({ submissionId: z.string(), missing: z.array(z.string()) }),
      },
    },
  },
  ...REMINDER_INGEST_ROUTES,
  {
    method: 'post',
    path: '/v1/clicks',
    server: 'ingest',
    tag: 'Ingest',
    summary: 'Click events from external link trackers',
    description: '`eventId` makes re-sending safe.',
    security: 'ingest',
    body: { schema: clicksRequest, limit: '2mb' },
    responses: { 202: { description: 'queued', schema: z.object({ accepted: z.number().int() }) } },
  },
] as const;
