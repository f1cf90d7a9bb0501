import { reminderPreviewQuery, reminderPreviewResponse } from '@seedline/domain';

const html = { type: 'text/html' };

/** The reminder routes of the catalogue (route-catalogue.ts): the api's preview. */
export const REMINDER_API_ROUTES = [
  {
    method: 'get',
    path: '/v1/campaigns/:id/reminders/preview',
    server: 'api',
    tag: 'Campaigns',
    summary: 'Render a reminder email for a sample influencer',
    description:
      "The campaign's template for the stage (its own or the default), filled in for a made-up influencer, with the " +
      'headers it is sent with: `Message-ID` (derived from the reminder id), `List-Unsubscribe` and ' +
      '`List-Unsubscribe-Post` (RFC 8058 one-click).',
    security: 'brand',
    query: reminderPreviewQuery,
    responses: { 200: { description: 'the rendered email', schema: reminderPreviewResponse } },
  },
] as const;

/** The ingest's unsubscribe page and one-click endpoint (the List-Unsubscribe URL of reminder emails). */
export const REMINDER_INGEST_ROUTES = [
  {
    method: 'get',
    path: '/u/:token',
    server: 'ingest',
    tag: 'Ingest',
    summary: 'Unsubscribe page (asks; never unsubscribes by itself)',
    description:
      'The List-Unsubscribe link of reminder emails. Mail scanners open links, so a GET only shows a confirm button.',
    security: 'none',
    responses: {
      200: { description: 'HTML page with a confirm button', content: html },
      404: { description: 'unknown link', content: html },
    },
  },
  {
    method: 'post',
    path: '/u/:token',
    server: 'ingest',
    tag: 'Ingest',
    summary: "Unsubscribe from the campaign's reminders (RFC 8058 one-click)",
    description:
      'Any body (mail providers send `List-Unsubscribe=One-Click`, form-encoded): answers 200 with no body. The confirm ' +
      "page's button posts `confirm=yes` and gets a page back. Repeating it changes nothing.",
    security: 'none',
    responses: { 200: { description: 'unsubscribed' }, 404: { description: 'unknown link' } },
  },
] as const;
