import { seededRandom } from '@seedline/testkit';
import {
  BAD_JSON,
  BROKEN_CHARSETS,
  CONTENT_TYPES_REFUSED,
  HOSTILE_SCALARS,
  JSON_TYPES,
  OPERATOR_VALUES,
  WEIRD_STRINGS,
} from './hostile-values.js';

// The random pieces a fuzzed request is made of: tokens, values, bodies and headers, each drawn from a seeded rng.

/** The testkit's seeded generator (a failing run replays from its seed), with the picks the fuzzer needs. */
export function rng(seed: number) {
  const next = seededRandom(seed);
  const int = (n: number) => Math.floor(next() * n);
  const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)] as T;
  return { next, int, pick, chance: (p: number) => next() < p };
}
export type Rng = ReturnType<typeof rng>;

const B64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

function randomString(r: Rng, max: number, alphabet = B64URL): string {
  let s = '';
  const n = r.int(max + 1);
  for (let i = 0; i < n; i++) s += alphabet[r.int(alphabet.length)];
  return s;
}

/** A value that no field of ingest accepts. */
export function hostileValue(r: Rng): unknown {
  const roll = r.int(3);
  if (roll === 0) return r.pick(OPERATOR_VALUES);
  if (roll === 1) return r.pick(HOSTILE_SCALARS);
  return r.pick(WEIRD_STRINGS);
}

/** A token that is not a valid one: random, mutated from a real one, huge, or not even base64url. */
export function forgedToken(r: Rng, real: string[]): string {
  const token = forgery(r, real);
  // A 60-character token is 45 bytes, so its standard-base64 spelling has no padding: without a '-' or '_' in
  // it, that spelling is the real token itself. A forgery that matches one is made invalid by one more byte.
  return real.includes(token) ? `${token}A` : token;
}

function forgery(r: Rng, real: string[]): string {
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

export function encodePathToken(r: Rng, token: string): string {
  // Mostly encoded; sometimes raw, which sends invalid percent-escapes and slashes as they are.
  if (r.chance(0.8)) return encodeURIComponent(token);
  return token.replace(/[^\x21-\x7e]/gu, (c) => encodeURIComponent(c)).replace(/[?#]/g, '');
}

export function jsonBody(r: Rng, value: unknown): { body: string; contentType: string } {
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
export function withExtras(r: Rng, obj: Record<string, unknown>): Record<string, unknown> {
  if (r.chance(0.2))
    obj[r.pick(['$set', '__proto__', 'constructor', 'status', 'purchaseClicks', '$where'])] = hostileValue(r);
  return obj;
}

export function authHeader(r: Rng, token: string): Record<string, string> {
  const roll = r.int(20);
  if (roll === 0) return {};
  if (roll === 1) return { Authorization: 'Bearer wrong-token' };
  if (roll === 2) return { Authorization: `Basic ${Buffer.from(`x:${token}`).toString('base64')}` };
  if (roll === 3) return { Authorization: `Bearer ${token} extra` };
  return { Authorization: `Bearer ${token}` };
}
