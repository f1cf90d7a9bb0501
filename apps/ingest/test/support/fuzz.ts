/**
 * Random malformed requests for ingest's public and bearer routes. Every generated request is invalid by
 * construction (a forged token, a field that cannot validate, a body the parser refuses…), so none may be
 * accepted: the fuzz test expects no 2xx/3xx, no 5xx and no job.
 */

import { seededRandom } from '@seedline/testkit';

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

/** The testkit's seeded generator (a failing run replays from its seed), with the picks the fuzzer needs. */
export function rng(seed: number) {
  const next = seededRandom(seed);
  const int = (n: number) => Math.floor(next() * n);
  const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)] as T;
  return { next, int, pick, chance: (p: number) => next() < p };
}
type Rng = ReturnType<typeof rng>;

const B64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/** Values that must never reach a query, nor pass validation of any field. */
export const OPERATOR_VALUES: unknown[] = [
  { $gt: '' },
  { $ne: null },
  { $where: 'sleep(1000)' },
  { $regex: '.*' },
  { $in: ['a'] },
  { $exists: true },
  { __proto__: { admin: true } },
  { constructor: { prototype: { polluted: true } } },
];

const WEIRD_STRINGS = [
  '',
  ' ',
  '\u0000',
  '\u202eevil',
  '💥'.repeat(40),
  'ｔｏｋｅｎ',
  'Ω≈ç√∫',
  '<script>alert(1)</script>',
  "'; DROP TABLE influencers; --",
  '../../etc/passwd',
  '%00',
  '${jndi:ldap://x}',
  'null',
  'undefined',
  '[object Object]',
  'x'.repeat(3000),
];

const HOSTILE_SCALARS: unknown[] = [
  null,
  true,
  false,
  0,
  -1,
  1e308,
  12345678901234567168 /* past 2^53 */,
  [],
  [1, 2],
  {},
  [{ $gt: '' }],
];

function randomString(r: Rng, max: number, alphabet = B64URL): string {
  let s = '';
  const n = r.int(max + 1);
  for (let i = 0; i < n; i++) s += alphabet[r.int(alphabet.length)];
  return s;
}

/** A value that no field of ingest accepts. */
function hostileValue(r: Rng): unknown {
  const roll = r.int(3);
  if (roll === 0) return r.pick(OPERATOR_VALUES);
  if (roll === 1) return r.pick(HOSTILE_SCALARS);
  return r.pick(WEIRD_STRINGS);
}

/** A token that is not a valid one: random, mutated from a real one, huge, or not even base64url. */
export function forgedToken(r: Rng, real: string[]): string {
  const base = r.pick(real);
  const at = r.int(base.length);
  const other = (c: string | undefined) => (c === 'A' ? 'B' : 'A');
  switch (r.int(9)) {
    case 0:
      return randomString(r, 120);
    case 1:
      return base.slice(0, at) + other(base[at]) + base.slice(at + 1); // one character changed
    case 2:
      return base.slice(0, at) + base.slice(at + 1); // one character dropped
    case 3:
      return base.slice(0, at) + r.pick([...B64URL]) + base.slice(at); // one character added
    case 4:
      return base.slice(0, r.int(base.length)); // truncated
    case 5:
      return base + randomString(r, 20) + r.pick(['A', '-', '_']); // extended
    case 6:
      return r.pick(['a', 'A', '_', '-', '9']).repeat(r.pick([55, 56, 200, 4000, 7000])); // right or huge length
    case 7:
      return r.pick(WEIRD_STRINGS.filter((s) => s !== '')) + (r.chance(0.5) ? base : '');
    default:
      return Buffer.from(base, 'base64url').toString('base64'); // + / = spelling
  }
}

function encodePathToken(r: Rng, token: string): string {
  // Mostly encoded; sometimes raw, which sends invalid percent-escapes and slashes as they are.
  if (r.chance(0.8)) return encodeURIComponent(token);
  return token.replace(/[^\x21-\x7e]/gu, (c) => encodeURIComponent(c)).replace(/[?#]/g, '');
}

const CONTENT_TYPES_REFUSED = [
  'text/plain',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=xyz',
  'application/xml',
  'application/vnd.api+json',
  'text/json',
  'application/json-patch+json',
];
const JSON_TYPES = [
  'application/json',
  'application/json; charset=utf-8',
  'APPLICATION/JSON',
  'application/json;charset=UTF-8',
];
const BROKEN_CHARSETS = [
  'application/json; charset=utf-16',
  'application/json; charset=latin1',
  'application/json; charset=klingon',
];

const BAD_JSON = [
  '{',
  '{"a":}',
  "{'token':'x'}",
  'NaN',
  '{"a":1,}',
  '[',
  '"unterminated',
  '{"token":"x"}}',
  '\u0000',
  'nul',
  '{"a":1} trailing',
  '[[[[[[[[[[',
];

const BAD_HANDLES: unknown[] = [
  '',
  '@',
  'has space',
  'x'.repeat(31),
  'héllo',
  'a-b',
  'a!',
  '@@double',
  'tab\there',
  ...OPERATOR_VALUES,
  null,
  42,
];
const BAD_POST_URLS: unknown[] = [
  'https://www.instagram.com/p/',
  'https://www.instagram.com.evil.example/p/Cabc/',
  'https://evil.example/p/Cabc123/',
  'javascript:alert(1)',
  'http://',
  'https://www.instagram.com/stories/x/1/',
  'ftp://instagram.com/p/Cabc/',
  'x'.repeat(2100),
  ...OPERATOR_VALUES,
  null,
];
const BAD_EVENT_IDS: unknown[] = ['', 'a:b', 'has space', 'x'.repeat(127), '../x', 'é', ...OPERATOR_VALUES, 7, null];

function jsonBody(r: Rng, value: unknown): { body: string; contentType: string } {
  const roll = r.int(20);
  if (roll === 0) return { body: r.pick(BAD_JSON), contentType: 'application/json' };
  if (roll === 1) return { body: JSON.stringify(value), contentType: r.pick(CONTENT_TYPES_REFUSED) };
  if (roll === 2) return { body: JSON.stringify(value), contentType: r.pick(BROKEN_CHARSETS) };
  if (roll === 3)
    return { body: JSON.stringify({ pad: 'x'.repeat(70 * 1024), value }), contentType: 'application/json' }; // > 64 KiB
  if (roll === 4) return { body: JSON.stringify(r.pick(HOSTILE_SCALARS)), contentType: 'application/json' };
  return { body: JSON.stringify(value), contentType: r.pick(JSON_TYPES) };
}

/** A request body object with hostile values and, sometimes, keys no schema knows. */
function withExtras(r: Rng, obj: Record<string, unknown>): Record<string, unknown> {
  if (r.chance(0.2))
    obj[r.pick(['$set', '__proto__', 'constructor', 'status', 'purchaseClicks', '$where'])] = hostileValue(r);
  return obj;
}

function authHeader(r: Rng, token: string): Record<string, string> {
  const roll = r.int(20);
  if (roll === 0) return {};
  if (roll === 1) return { Authorization: 'Bearer wrong-token' };
  if (roll === 2) return { Authorization: `Basic ${Buffer.from(`x:${token}`).toString('base64')}` };
  if (roll === 3) return { Authorization: `Bearer ${token} extra` };
  return { Authorization: `Bearer ${token}` };
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

/** Requests a client library would refuse to send: written to a raw socket. */
export const RAW_REQUESTS = [
  'GET /l/abc HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n',
  'POST /v1/submissions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\nZZ\r\n{}\r\n0\r\n\r\n',
  'POST /v1/submissions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: -1\r\n\r\n{}',
  'POST /v1/submissions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\n{}',
  'GET /l/\u00ff\u00fe HTTP/1.1\r\nHost: x\r\n\r\n',
  'GET /l/abc HTTP/1.1\r\nHost: x\r\nBad Header: y\r\n\r\n',
  'GET /l/abc HTTP/9.9\r\nHost: x\r\n\r\n',
  'BREW /l/abc HTTP/1.1\r\nHost: x\r\n\r\n',
  'GET\r\n\r\n',
  `GET /l/${'a'.repeat(20000)} HTTP/1.1\r\nHost: x\r\n\r\n`,
  `GET /l/abc HTTP/1.1\r\nHost: x\r\nX-Big: ${'b'.repeat(20000)}\r\n\r\n`,
  'POST /v1/signups HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer \u0000\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}',
  'GET /l/abc HTTP/1.1\r\nHost: x\r\nX-Forwarded-For: \r\n\r\n',
  'GET /l/abc\r\nHost: x\r\n\r\n',
  'POST /v1/clicks HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Encoding: gzip\r\nContent-Length: 4\r\n\r\nabcd',
];
