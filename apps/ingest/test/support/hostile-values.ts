/** Hostile inputs for the ingest fuzzer: values no field accepts, bodies and headers no route takes. */

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

export const WEIRD_STRINGS = [
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

export const HOSTILE_SCALARS: unknown[] = [
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

export const CONTENT_TYPES_REFUSED = [
  'text/plain',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=xyz',
  'application/xml',
  'application/vnd.api+json',
  'text/json',
  'application/json-patch+json',
];
export const JSON_TYPES = [
  'application/json',
  'application/json; charset=utf-8',
  'APPLICATION/JSON',
  'application/json;charset=UTF-8',
];
export const BROKEN_CHARSETS = [
  'application/json; charset=utf-16',
  'application/json; charset=latin1',
  'application/json; charset=klingon',
];

export const BAD_JSON = [
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

export const BAD_HANDLES: unknown[] = [
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
export const BAD_POST_URLS: unknown[] = [
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
export const BAD_EVENT_IDS: unknown[] = [
  '',
  'a:b',
  'has space',
  'x'.repeat(127),
  '../x',
  'é',
  ...OPERATOR_VALUES,
  7,
  null,
];

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
