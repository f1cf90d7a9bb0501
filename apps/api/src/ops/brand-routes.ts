import { brandResponse, brandSettingsRequest } from '@seedline/domain';

/** The brand's own settings routes of the catalogue (typed where `ROUTES` spreads them). */
export const BRAND_ROUTES = [
  {
    method: 'get',
    path: '/v1/brand',
    server: 'api',
    tag: 'Brand',
    summary: "The calling brand's settings",
    security: 'brand',
    responses: { 200: { description: 'the brand', schema: brandResponse } },
  },
  {
    method: 'patch',
    path: '/v1/brand',
    server: 'api',
    tag: 'Brand',
    summary: "Change the brand's time zone or contact email",
    description:
      '`timezone` is an IANA zone (`Europe/Berlin`; default `UTC`): statements are cut into ISO weeks on its wall clock. ' +
      'A change applies from the week after the one in progress (`timezoneFrom`; a week later when that week has ' +
      'already begun in the new zone): every earlier week keeps its bounds and the week in progress its start, and ' +
      'it ends where the next week starts in the new zone (a few hours sooner or later, never before the change). A ' +
      'second change in the same week replaces the first. `contactEmail` is where ' +
      'the brand wants operational mail (`null` removes it).',
    security: 'brand',
    body: { schema: brandSettingsRequest, limit: '64kb' },
    responses: { 200: { description: 'the brand after the change', schema: brandResponse } },
  },
] as const;
