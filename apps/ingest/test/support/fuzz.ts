/**
 * Random malformed requests for ingest's public and bearer routes. Every generated request is invalid by
 * construction (a forged token, a field that cannot validate, a body the parser refuses…), so none may be
 * accepted: the fuzz test expects no 2xx/3xx, no 5xx and no job.
 */

import {
  authHeader,
  encodePathToken,
  forgedToken,
  hostileValue,
  jsonBody,
  withExtras,
  type Rng,
} from './fuzz-parts.js';
import { BAD_EVENT_IDS, BAD_HANDLES, BAD_POST_URLS, WEIRD_STRINGS } from './hostile-values.js';

export interface FuzzRequest {
  kind: string;
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string;
}

export interface RealTokens {
  purchase: string;
  review: string;
  submit: string;
  campaignId: string;
  ingestToken: string;
}

export function fuzzRequest(r: Rng, real: RealTokens): FuzzRequest {
  const linkTokens = [real.purchase, real.review, real.submit];
  const headers: Record<string, string> = {};
  if (r.chance(0.3))
    headers['X-Forwarded-For'] = r.pick([
      'not-an-ip',
      '999.1.1.1',
      '203.0.113.7, 10.0.0.1',
      '::1',
      'x'.repeat(300),
      '1.1.1.1'.repeat(20),
    ]);
  if (r.chance(0.2)) headers['X-Request-Id'] = r.pick(['a b c', 'x'.repeat(500), '<script>', 'ok-id-1', '"quoted"']);
  if (r.chance(0.3))
    headers['User-Agent'] = r.pick([
      '',
      'curl/8',
      'x'.repeat(4000),
      'Mozilla/5.0 (compatible; Googlebot/2.1)',
      '\u00ff\u00fe',
    ]);
  const query = r.chance(0.15) ? r.pick(['?token[$gt]=', '?a=1&a=2', '?__proto__[x]=1', `?${'q'.repeat(2000)}=1`]) : '';

  switch (r.int(8)) {
    case 0:
    case 1:
      return {
        kind: 'link',
        method: r.chance(0.8) ? 'GET' : 'HEAD',
        path: `/l/${encodePathToken(r, forgedToken(r, linkTokens))}${query}`,
        headers,
      };
    case 2:
      return {
        kind: 'form',
        method: 'GET',
        path: `/s/${encodePathToken(r, forgedToken(r, linkTokens))}${query}`,
        headers,
      };
    case 3: {
      // The real submit token only ever comes with a post URL that cannot validate.
      const realToken = r.chance(0.3);
      const value = withExtras(r, {
        token: realToken ? real.submit : r.chance(0.7) ? forgedToken(r, linkTokens) : hostileValue(r),
        postUrl: realToken || r.chance(0.5) ? r.pick(BAD_POST_URLS) : 'https://www.instagram.com/p/Cfuzz123/',
        ...(r.chance(0.5) ? { caption: r.chance(0.5) ? hostileValue(r) : r.pick(WEIRD_STRINGS) } : {}),
      });
      const { body, contentType } = jsonBody(r, value);
      return {
        kind: 'submission',
        method: 'POST',
        path: `/v1/submissions${query}`,
        headers: { ...headers, 'Content-Type': contentType },
        body,
      };
    }
    case 4: {
      // The real campaign only ever comes with a handle that cannot validate; a well-formed id is unknown.
      const roll = r.int(3);
      const unknownId = () => Array.from({ length: 24 }, () => '0123456789abcdef'[r.int(16)]).join('');
      const campaignId = roll === 0 ? real.campaignId : roll === 1 ? unknownId() : hostileValue(r);
      const value = withExtras(r, {
        campaignId,
        instagramHandle: roll === 0 || r.chance(0.5) ? r.pick(BAD_HANDLES) : 'fuzz.handle',
        ...(r.chance(0.3) ? { email: r.chance(0.5) ? hostileValue(r) : 'fuzz@example.com' } : {}),
        ...(r.chance(0.3) ? { timezone: r.chance(0.5) ? hostileValue(r) : 'Europe/Paris' } : {}),
      });
      const { body, contentType } = jsonBody(r, value);
      return {
        kind: 'signup',
        method: 'POST',
        path: `/v1/signups${query}`,
        headers: { ...headers, ...authHeader(r, real.ingestToken), 'Content-Type': contentType },
        body,
      };
    }
    case 5: {
      const events = Array.from({ length: 1 + r.int(4) }, () => {
        // A real token only ever comes with an event id that cannot validate.
        const realToken = r.chance(0.3);
        return withExtras(r, {
          eventId: realToken ? r.pick(BAD_EVENT_IDS) : r.chance(0.7) ? `fuzz-${r.int(1e9)}` : r.pick(BAD_EVENT_IDS),
          token: realToken
            ? r.pick([real.purchase, real.review])
            : r.chance(0.8)
              ? forgedToken(r, linkTokens)
              : hostileValue(r),
          ...(r.chance(0.3) ? { at: r.chance(0.5) ? hostileValue(r) : new Date().toISOString() } : {}),
          ...(r.chance(0.3) ? { ip: r.chance(0.5) ? hostileValue(r) : '203.0.113.1' } : {}),
          ...(r.chance(0.3) ? { userAgent: r.chance(0.5) ? hostileValue(r) : 'Mozilla/5.0' } : {}),
        });
      });
      const payload = r.chance(0.1)
        ? { events: r.pick([[], hostileValue(r), Array.from({ length: 1001 }, () => events[0])]) }
        : { events };
      const { body, contentType } = jsonBody(r, withExtras(r, payload));
      return {
        kind: 'clicks',
        method: 'POST',
        path: `/v1/clicks${query}`,
        headers: { ...headers, ...authHeader(r, real.ingestToken), 'Content-Type': contentType },
        body,
      };
    }
    case 6: {
      // Wrong methods and paths around the real routes.
      const path = r.pick([
        '/l/',
        '/l',
        '/s/',
        '/v1/signups',
        '/v1/clicks',
        '/v1/submissions',
        '/l/a/b',
        '/%2e%2e/%2e%2e/etc/passwd',
        '/v1/../l/x',
        '/%',
        '/%ff',
      ]);
      const method = r.pick(['GET', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'POST']);
      return {
        kind: 'routing',
        method,
        path: `${path}${query}`,
        headers,
        body: method !== 'GET' && r.chance(0.3) ? '{}' : undefined,
      };
    }
    default: {
      // A token as body to the GET routes, and JSON where none is expected.
      return {
        kind: 'link-post',
        method: 'POST',
        path: `/l/${encodeURIComponent(forgedToken(r, linkTokens))}`,
        headers: { ...headers, 'Content-Type': 'application/json' },
        body: JSON.stringify(hostileValue(r)),
      };
    }
  }
}
