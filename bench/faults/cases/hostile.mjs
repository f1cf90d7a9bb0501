import { readFileSync } from 'node:fs';
import { runCase, runIfMain } from '../lib/case.mjs';
import { hostileAgent, send } from '../lib/http.mjs';
import { noteSecret } from '../lib/logscan.mjs';
import { driveLoad } from '../lib/workload.mjs';

/**
 * One brand attacks the api while the platform runs: template text built to make a backtracking placeholder
 * pattern take cubic time, report amounts built to do the same to a money pattern, and 8 MB uploads (of bare
 * newlines, and of rows past the row cap) that a parser without a cap would turn into millions of records.
 * Meanwhile another brand's `GET /v1/campaigns` and `/healthz` are timed from outside, the api's resident
 * memory is sampled, and the usual mixed load must lose nothing.
 */
const RSS_LIMIT_MIB = 512; // the api's memory limit in deploy/k8s
const ANSWER_LIMIT_MS = 1000;
const MIB = 1024 * 1024;

function rssMiB(pid) {
  try {
    const line = readFileSync(`/proc/${pid}/status`, 'utf8')
      .split('\n')
      .find((l) => l.startsWith('VmRSS:'));
    return line ? Number(line.replace(/\D/g, '')) / 1024 : null;
  } catch {
    return null;
  }
}

export function attacks(w) {
  const base = `${w.stack.apiUrl}/v1/campaigns/${w.campaignId}`;
  const auth = { authorization: `Bearer ${w.apiKey}` };
  const json = (method, url, body) => ({ url, method, headers: { ...auth, 'content-type': 'application/json' }, body });
  const csv = (url, body) => ({ url, method: 'POST', headers: { ...auth, 'content-type': 'text/csv' }, body });
  const header = 'date,clicks,detailPageViews,addToCarts,purchases,unitsSold,sales';
  const manyRows = `${header}\n${'2025-05-01,1,1,1,1,1,1.00\n'.repeat(320_000)}`; // ~8 MB, 32× the row cap
  const newlines = `${header}\n${'\n'.repeat(8 * MIB - header.length - 2)}`; // just under 8 MB of empty lines
  return [
    [
      'template {{ + 10,000 spaces',
      json('PATCH', base, { reminders: { templates: { purchase: { text: `{{${' '.repeat(9_990)}` } } } }),
    ],
    [
      'html template {{ + 50,000 spaces',
      json('PATCH', base, { reminders: { templates: { review: { html: `{{${' '.repeat(49_990)}` } } } }),
    ],
    [
      'sales "1" + 1M spaces + "x"',
      json('POST', `${base}/attribution`, {
        rows: [{ date: '2025-05-01', purchases: 1, unitsSold: 1, sales: `1${' '.repeat(1_000_000)}x` }],
      }),
    ],
    [
      'CSV sales "1" + 1M spaces + "x"',
      csv(`${base}/attribution`, `${header}\n2025-05-01,1,1,1,1,1,1${' '.repeat(1_000_000)}x\n`),
    ],
    ['8 MB of newlines', csv(`${base}/attribution`, newlines)],
    ['8 MB of newlines (tags)', csv(`${base}/attribution-tags`, `handle,tag\n${'\n'.repeat(8 * MIB - 12)}`)],
    ['8 MB, 320,000 rows', csv(`${base}/attribution`, manyRows)],
    ['9 MB upload', csv(`${base}/attribution`, `${header}\n${'\n'.repeat(9 * MIB)}`)],
  ];
}

const def = {
  name: 'hostile',
  title: 'ReDoS payloads and 8 MB uploads against the api during a steady load',
  ci: true,
  run: ({ ci, log }) =>
    runCase(def, { log }, async ({ stack, w, ledger }) => {
      const durationMs = ci ? 15_000 : 40_000;
      // Another brand's dashboard, which must not notice the attack.
      const other = await send(`${stack.apiUrl}/v1/brands`, {
        method: 'POST',
        headers: { authorization: `Bearer ${stack.env.ADMIN_TOKEN}` },
        body: { name: 'Bystander' },
      });
      if (other.status !== 201) throw new Error(`brand create answered ${other.status}`);
      const bystander = other.body.apiKey;
      noteSecret(bystander);
      const apiPid = stack.apps.api.proc.pid;
      const until = Date.now() + durationMs;

      const attackAnswers = {};
      const wrongAnswers = [];
      const attackLane = async (lane) => {
        const list = attacks(w);
        for (let i = lane; Date.now() < until; i++) {
          const [name, a] = list[i % list.length];
          const r = await send(a.url, { ...a, via: hostileAgent, timeoutMs: 30_000 });
          const key = `${name} → ${r.status || r.error}`;
          attackAnswers[key] = (attackAnswers[key] ?? 0) + 1;
          // Every payload is refused with a 4xx (a 5xx or an accepted one is a defect), or the socket is cut
          // by a server that stopped reading an oversized body.
          if (r.status && (r.status < 400 || r.status >= 500)) wrongAnswers.push(key);
        }
      };
      const probes = { healthz: [], campaigns: [] };
      let maxRss = 0;
      const probeLoop = async () => {
        while (Date.now() < until) {
          const rss = rssMiB(apiPid);
          if (rss !== null) maxRss = Math.max(maxRss, rss);
          const t0 = performance.now();
          const h = await send(`${stack.apiUrl}/healthz`, { timeoutMs: 10_000 });
          const t1 = performance.now();
          const c = await send(`${stack.apiUrl}/v1/campaigns`, {
            headers: { authorization: `Bearer ${bystander}` },
            timeoutMs: 10_000,
          });
          const t2 = performance.now();
          probes.healthz.push({ ms: t1 - t0, status: h.status });
          probes.campaigns.push({ ms: t2 - t1, status: c.status });
          await new Promise((r) => setTimeout(r, 100));
        }
      };
      const [, , , valid] = await Promise.all([
        attackLane(0),
        attackLane(3),
        probeLoop(),
        driveLoad(w, ledger, { rate: 60, durationMs }),
      ]);
      const worst = (xs) => Math.round(Math.max(0, ...xs.map((p) => p.ms)));
      const bad = (xs, ok) => xs.filter((p) => p.status !== ok).length;
      const summary = `healthz worst ${worst(probes.healthz)} ms over ${probes.healthz.length} probes; GET /v1/campaigns worst ${worst(probes.campaigns)} ms; api RSS max ${Math.round(maxRss)} MiB`;
      log(`hostile: ${summary}; attacks ${JSON.stringify(attackAnswers)}`);
      return {
        faultEndedAt: Date.now(),
        checks: [
          {
            name: 'every attack refused with a 4xx',
            ok: wrongAnswers.length === 0,
            detail: JSON.stringify(attackAnswers),
          },
          {
            name: `/healthz answers 200 within ${ANSWER_LIMIT_MS} ms throughout`,
            ok: probes.healthz.length > 0 && worst(probes.healthz) < ANSWER_LIMIT_MS && bad(probes.healthz, 200) === 0,
            detail: `worst ${worst(probes.healthz)} ms, ${bad(probes.healthz, 200)} not 200`,
          },
          {
            name: `another brand's GET /v1/campaigns answers 200 within ${ANSWER_LIMIT_MS} ms throughout`,
            ok:
              probes.campaigns.length > 0 &&
              worst(probes.campaigns) < ANSWER_LIMIT_MS &&
              bad(probes.campaigns, 200) === 0,
            detail: `worst ${worst(probes.campaigns)} ms, ${bad(probes.campaigns, 200)} not 200`,
          },
          {
            name: `api RSS stays under ${RSS_LIMIT_MIB} MiB`,
            ok: maxRss > 0 && maxRss < RSS_LIMIT_MIB,
            detail: `${Math.round(maxRss)} MiB`,
          },
          {
            name: 'valid traffic acknowledged (302/202) throughout',
            ok: (valid.statuses['302'] ?? 0) + (valid.statuses['202'] ?? 0) === valid.offered,
            detail: JSON.stringify(valid.statuses),
          },
        ],
        notes: `${Object.values(attackAnswers).reduce((a, b) => a + b, 0)} attack requests in 2 lanes with ${valid.offered} valid events (60/s); ${summary}`,
      };
    }),
};
export default def;
await runIfMain(import.meta, def);
