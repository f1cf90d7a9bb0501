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
      'A change applies from the week after the one in progress (`timezoneFrom`), so the week in progress and every ' +
      'earlier week keep their bounds; a second change in the same week replaces the first. `contactEmail` is where ' +
      'the brand wants operational mail (`null` removes it).',
    security: 'brand',
    body: { schema: brandSettingsRequest, limit: '64kb' },
    responses: { 200: { description: 'the brand after the change', schema: brandResponse } },
  },
] as const;
