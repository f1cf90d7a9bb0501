import { runCase, runIfMain } from '../lib/case.mjs';
import { hostileAgent, send } from '../lib/http.mjs';
import { openLoop } from '../lib/load.mjs';
import { driveLoad } from '../lib/workload.mjs';

/**
 * Public routes flooded with malformed and oversized input while valid traffic runs, with the default
 * per-IP limits on. Every malformed request must get a 4xx (never a 5xx), and no valid event may be lost.
 */
const junkToken = (w) => {
  const t = w.people[0].links.purchase.split('/l/')[1];
  const flip = t[5] === 'A' ? 'B' : 'A';
  return `${t.slice(0, 5)}${flip}${t.slice(6)}`;
};

export function malformedRequests(w) {
  const ingest = w.stack.ingestUrl;
  const submitToken = w.people[0].submitToken;
  const purchaseToken = w.people[0].links.purchase.split('/l/')[1];
  const deep = `${'['.repeat(5000)}${']'.repeat(5000)}`;
  const json = (body) => ({ method: 'POST', headers: { 'content-type': 'application/json' }, body });
  return [
    ['GET /l/<garbage>', `${ingest}/l/not-a-token`, {}],
    ['GET /l/<tampered token>', `${ingest}/l/${junkToken(w)}`, {}],
    ['GET /l/<4 KB token>', `${ingest}/l/${'A'.repeat(4096)}`, {}],
    ['GET /l/<percent junk>', `${ingest}/l/%00%ff%fe..%2f..%2fetc%2fpasswd`, {}],
    ['GET /l/<submit token>', `${ingest}/l/${submitToken}`, {}],
    ['GET /l/<token>?<8 KB query>', `${ingest}/l/${junkToken(w)}?x=${'y'.repeat(8000)}`, {}],
    ['GET /s/<garbage>', `${ingest}/s/%E0%A4%A`, {}],
    ['GET /s/<purchase token>', `${ingest}/s/${purchaseToken}`, {}],
    ['POST /v1/submissions invalid JSON', `${ingest}/v1/submissions`, json('{"token": ')],
    [
      'POST /v1/submissions text/plain',
      `${ingest}/v1/submissions`,
      { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'hello' },
    ],
    [
      'POST /v1/submissions 2 MB body',
      `${ingest}/v1/submissions`,
      json(
        JSON.stringify({
          token: submitToken,
          postUrl: 'https://www.instagram.com/p/Cx/',
          caption: 'x'.repeat(2_000_000),
        }),
      ),
    ],
    ['POST /v1/submissions nested 5000 deep', `${ingest}/v1/submissions`, json(deep)],
    [
      'POST /v1/submissions operator injection',
      `${ingest}/v1/submissions`,
      json(JSON.stringify({ token: { $gt: '' }, postUrl: { $ne: null } })),
    ],
    [
      'POST /v1/submissions __proto__',
      `${ingest}/v1/submissions`,
      json('{"__proto__":{"admin":true},"token":"x","postUrl":"https://www.instagram.com/p/Cx/"}'),
    ],
    [
      'POST /v1/submissions javascript: URL',
      `${ingest}/v1/submissions`,
      json(JSON.stringify({ token: submitToken, postUrl: 'javascript:alert(1)' })),
    ],
    [
      'POST /v1/submissions wrong types',
      `${ingest}/v1/submissions`,
      json(JSON.stringify({ token: 42, postUrl: ['a'], caption: {} })),
    ],
    [
      'POST /v1/submissions purchase token',
      `${ingest}/v1/submissions`,
      json(JSON.stringify({ token: purchaseToken, postUrl: 'https://www.instagram.com/p/Cx/' })),
    ],
    [
      'POST /v1/submissions bogus gzip',
      `${ingest}/v1/submissions`,
      {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' },
        body: 'not gzip at all',
      },
    ],
    [
      'POST /v1/submissions unknown encoding',
      `${ingest}/v1/submissions`,
      { method: 'POST', headers: { 'content-type': 'application/json', 'content-encoding': 'br-x' }, body: '{}' },
    ],
    [
      'POST /v1/submissions NUL and lone surrogates',
      `${ingest}/v1/submissions`,
      json('{"token":"\\u0000\\ud800","postUrl":"https://www.instagram.com/p/\\udfff/"}'),
    ],
    ['POST /v1/clicks without token', `${ingest}/v1/clicks`, json('{"events":[]}')],
    [
      'POST /v1/clicks 5 MB',
      `${ingest}/v1/clicks`,
      {
        ...json(`{"events":[${'{"eventId":"a","token":"b"},'.repeat(190_000)}{}]}`),
        headers: { 'content-type': 'application/json', authorization: `Bearer ${w.stack.env.INGEST_TOKEN}` },
      },
    ],
    [
      'POST /v1/clicks 1001 events',
      `${ingest}/v1/clicks`,
      {
        ...json(
          JSON.stringify({
            events: Array.from({ length: 1001 }, (_, i) => ({ eventId: `e${i}`, token: purchaseToken })),
          }),
        ),
        headers: { 'content-type': 'application/json', authorization: `Bearer ${w.stack.env.INGEST_TOKEN}` },
      },
    ],
    [
      'POST /v1/clicks forged tokens',
      `${ingest}/v1/clicks`,
      {
        ...json(JSON.stringify({ events: [{ eventId: 'forged-1', token: junkToken(w) }] })),
        headers: { 'content-type': 'application/json', authorization: `Bearer ${w.stack.env.INGEST_TOKEN}` },
      },
    ],
    ['POST /v1/signups no auth', `${ingest}/v1/signups`, json('{}')],
    ['PUT /l/<token>', `${ingest}/l/${purchaseToken}`, { method: 'PUT' }],
    ['DELETE /v1/submissions', `${ingest}/v1/submissions`, { method: 'DELETE' }],
    ['GET 20 KB header', `${ingest}/l/${junkToken(w)}`, { headers: { 'x-junk': 'z'.repeat(20_000) } }],
  ];
}

const def = {
  name: 'flood',
  title: 'Malformed and oversized input flood alongside valid traffic',
  ci: true,
  run: ({ ci, log }) =>
    runCase(def, { log, env: { LINK_RECORD_LIMIT: '600', PUBLIC_POST_LIMIT: '60' } }, async ({ w, ledger }) => {
      const durationMs = ci ? 12_000 : 40_000;
      const bad = malformedRequests(w);
      const byStatus = {};
      const fiveXXByRequest = {};
      let badFiveXX = 0;
      const flood = openLoop({
        rate: 150,
        durationMs,
        maxInFlight: 200,
        fire: async (i) => {
          const [name, url, init] = bad[i % bad.length];
          // Each flooding client has an address of its own (X-Forwarded-For from the trusted loopback proxy).
          const r = await send(url, {
            ...init,
            via: hostileAgent,
            timeoutMs: 10_000,
            headers: { ...(init.headers ?? {}), 'x-forwarded-for': `203.0.113.${(i % 200) + 1}` },
          });
          const key = r.status ? String(r.status) : `no answer (${r.error})`;
          byStatus[key] = (byStatus[key] ?? 0) + 1;
          if (r.status >= 500) {
            badFiveXX++;
            fiveXXByRequest[name] = (fiveXXByRequest[name] ?? 0) + 1;
          }
          if (r.status && (r.status < 400 || r.status >= 500))
            fiveXXByRequest[`${name} → ${r.status}`] = (fiveXXByRequest[`${name} → ${r.status}`] ?? 0) + 1;
          return r;
        },
      });
      const valid = driveLoad(w, ledger, { rate: 60, durationMs });
      const [f, v] = await Promise.all([flood, valid]);
      log(`flood answers ${JSON.stringify(byStatus)}; valid ${JSON.stringify(v.statuses)}`);
      const notRefused = Object.entries(fiveXXByRequest).filter(([k]) => k.includes('→'));
      return {
        faultEndedAt: Date.now(),
        fiveXXBadInput: badFiveXX,
        checks: [
          { name: 'no 5xx to malformed input', ok: badFiveXX === 0, detail: JSON.stringify(fiveXXByRequest) },
          {
            name: 'every malformed request refused with a 4xx',
            ok: notRefused.length === 0,
            detail: JSON.stringify(Object.fromEntries(notRefused)),
          },
          {
            name: 'valid traffic acknowledged (302/202) throughout',
            ok: (v.statuses['302'] ?? 0) + (v.statuses['202'] ?? 0) === v.offered,
            detail: JSON.stringify(v.statuses),
          },
        ],
        notes: `${f.offered} malformed requests (${bad.length} kinds, 150/s) with ${v.offered} valid events (60/s); flood answers ${JSON.stringify(byStatus)}`,
      };
    }),
};
export default def;
await runIfMain(import.meta, def);
