// Tracked-link redirect throughput and latency: the real ingest app (signed token, campaign cache, bot
// classification, click enqueued to Redis before the 302) against a bare Express app answering the same 302
// with no work. Same machine, same load tool (autocannon), alternating runs in one process.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import os from 'node:os';
import autocannon from 'autocannon';
import { BROWSER_UA, createStack, freePort, pollUntil, REPO_ROOT, seedCampaign } from '@seedline/testkit';

const CONNECTIONS = 32;
const TARGET = 'https://example.com/product';

const BARE_SERVER = `
import express from 'express';
const app = express();
app.get('/l/:token', (_req, res) => res.redirect(302, ${JSON.stringify(TARGET)}));
app.get('/healthz', (_req, res) => res.json({ ok: true }));
app.listen(Number(process.env.PORT), '127.0.0.1');
`;

export function machine() {
  const cpus = os.cpus();
  return `${cpus.length}× ${cpus[0]?.model.trim() ?? 'unknown CPU'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB RAM, ${os.type()} ${os.release()}, Node ${process.version}`;
}

function load(url, seconds, extra = {}) {
  return autocannon({
    url,
    connections: CONNECTIONS,
    duration: seconds,
    headers: { 'user-agent': BROWSER_UA },
    ...extra,
  });
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function summarise(results) {
  return {
    rps: median(results.map((r) => r.requests.average)),
    p50: median(results.map((r) => r.latency.p50)),
    p99: median(results.map((r) => r.latency.p99)),
    non3xx: results.reduce((n, r) => n + r.non2xx - r['3xx'] + r.errors + r.timeouts, 0),
  };
}

async function startBare() {
  const port = await freePort();
  const proc = spawn(process.execPath, ['--input-type=module', '-e', BARE_SERVER], {
    cwd: REPO_ROOT,
    env: { PATH: process.env.PATH ?? '', PORT: String(port), NODE_ENV: 'production' },
    stdio: 'ignore',
  });
  await pollUntil(async () => (await fetch(`http://127.0.0.1:${port}/healthz`).catch(() => null))?.ok, { what: 'bare express' });
  return {
    url: `http://127.0.0.1:${port}`,
    async stop() {
      proc.kill('SIGTERM');
      await once(proc, 'exit');
    },
  };
}

export default async function run(ctx) {
  const seconds = ctx.quick ? 3 : 6;
  const rounds = ctx.quick ? 1 : 3;
  const stack = await createStack('benchredirect', { NODE_ENV: 'production', LOG_LEVEL: 'info' }, ['api', 'ingest']);
  const bare = await startBare();
  try {
    const c = await seedCampaign(stack, { productUrl: TARGET });
    const { links } = await c.signup('bench.redirect');
    // The API is only needed to create the campaign: stop it so it takes no CPU from the measurement.
    await stack.apps.api?.stop();
    const ingestLink = links.purchase;
    const bareLink = `${bare.url}/l/${links.purchase.split('/l/')[1]}`;

    ctx.log('warming up');
    await load(bareLink, 2);
    await load(ingestLink, 2);

    const bareRuns = [];
    const ingestRuns = [];
    for (let i = 0; i < rounds; i++) {
      bareRuns.push(await load(bareLink, seconds));
      ingestRuns.push(await load(ingestLink, seconds));
      ctx.log(`round ${i + 1}: bare ${Math.round(bareRuns.at(-1).requests.average)} req/s, ingest ${Math.round(ingestRuns.at(-1).requests.average)} req/s`);
    }
    const b = summarise(bareRuns);
    const g = summarise(ingestRuns);
    if (b.non3xx || g.non3xx) ctx.log(`warning: ${b.non3xx} bare and ${g.non3xx} ingest responses were not 302`);

    const halfRate = Math.floor(g.rps / 2);
    ctx.log(`ingest at half its saturated rate: ${halfRate} req/s`);
    const halfIngest = summarise([await load(ingestLink, seconds, { overallRate: halfRate })]);
    const halfBare = summarise([await load(bareLink, seconds, { overallRate: halfRate })]);

    const note = `${CONNECTIONS} connections, ${rounds}×${seconds} s, median`;
    return {
      name: 'ingest-redirect',
      machine: machine(),
      rows: [
        { metric: 'redirect req/s (saturated)', value: Math.round(g.rps), unit: 'req/s', baseline: 'bare Express 302', baselineValue: Math.round(b.rps), ratio: +(g.rps / b.rps).toFixed(2), note: `target ≥ 0.7×; ${note}` },
        { metric: 'redirect p50 (saturated)', value: g.p50, unit: 'ms', baseline: 'bare Express 302', baselineValue: b.p50, ratio: b.p50 ? +(g.p50 / b.p50).toFixed(2) : undefined, note },
        { metric: 'redirect p99 (saturated)', value: g.p99, unit: 'ms', baseline: 'bare Express 302', baselineValue: b.p99, ratio: b.p99 ? +(g.p99 / b.p99).toFixed(2) : undefined, note },
        { metric: 'redirect p50 at half rate', value: halfIngest.p50, unit: 'ms', baseline: 'bare Express 302 at the same rate', baselineValue: halfBare.p50, note: `${halfRate} req/s offered (autocannon overallRate)` },
        { metric: 'redirect p99 at half rate', value: halfIngest.p99, unit: 'ms', baseline: 'bare Express 302 at the same rate', baselineValue: halfBare.p99, note: `target ≤ 10 ms; ${halfRate} req/s offered` },
      ],
    };
  } finally {
    await bare.stop();
    await stack.stop();
  }
}
