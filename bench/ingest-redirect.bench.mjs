// Tracked-link redirect throughput and latency: the real ingest app (signed token, campaign cache, bot
// classification, click enqueued to Redis before the 302) against a bare Express app answering the same 302
// with no work. Same machine, same load tool (autocannon), alternating runs in one process. Ingest gets a
// redis-server of its own (append-only file, fsync every second, as in production), so that other work on
// the shared Redis does not disturb the measurement and its CPU can be counted.
import { execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import autocannon from 'autocannon';
import { influencerIdFor, signLinkToken } from '@seedline/domain';
import { BROWSER_UA, createStack, freePort, pollUntil, REPO_ROOT, seedCampaign, TEST_SECRETS } from '@seedline/testkit';
import { startRedis } from './faults/lib/services.mjs';

const CONNECTIONS = 32;
const TARGET = 'https://example.com/product';

/**
 * Traffic shaped like a campaign's: many influencers' links, visitors from many addresses, a few browser
 * builds and some link-preview crawlers (`peopleOnly`: purchase links clicked by people only). The same
 * requests go to both servers; the bare one ignores them. Links belong to the handles `bench.0`, `bench.1`…
 */
export function campaignTraffic(campaignId, { links = 500, addresses = 50_000, peopleOnly = false } = {}) {
  const tokens = Array.from({ length: links }, (_, i) => {
    const influencerId = influencerIdFor(campaignId, `bench.${i}`);
    const kind = !peopleOnly && i % 5 === 0 ? 'review' : 'purchase';
    return signLinkToken({ kind, campaignId, influencerId }, TEST_SECRETS.LINK_SECRET);
  });
  const agents = [
    BROWSER_UA,
    'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 Instagram 300.0.0.17.111 (iPhone14,5; iOS 17_0; en_US; en; scale=3.00; 1170x2532; 515338000)',
    'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/125.0.0.0 Mobile Safari/537.36',
    'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1',
    ...(peopleOnly ? [] : ['facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)']),
  ];
  let n = 0;
  const next = () => {
    n = (n * 1103515245 + 12345) >>> 0;
    return n;
  };
  const address = () => {
    const k = next() % addresses;
    return `${11 + (k >> 16)}.${(k >> 8) & 255}.${k & 255}.${1 + (next() % 254)}`;
  };
  return [
    {
      method: 'GET',
      setupRequest: (req) => {
        req.path = `/l/${tokens[next() % tokens.length]}`;
        req.headers = { ...req.headers, 'user-agent': agents[next() % agents.length], 'x-forwarded-for': address() };
        return req;
      },
    },
  ];
}

const BARE_SERVER = `
import express from 'express';
const app = express();
app.get('/l/:token', (_req, res) => res.redirect(302, ${JSON.stringify(TARGET)}));
app.get('/healthz', (_req, res) => res.json({ ok: true }));
app.listen(Number(process.env.PORT), '127.0.0.1');
`;

export function machine() {
  const cpus = os.cpus();
  const load = os.loadavg()[0]?.toFixed(1);
  return `${cpus.length}× ${cpus[0]?.model.trim() ?? 'unknown CPU'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB RAM, ${os.type()} ${os.release()}, Node ${process.version}; load average ${load} when the run started`;
}

/** CPU seconds a process has used so far (Linux /proc), or NaN elsewhere. */
function cpuSeconds(pid) {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return NaN;
  }
}

/** Runs a load and answers it with the CPU microseconds each process spent per request meanwhile. */
async function withCpu(pids, run) {
  const before = pids.map(cpuSeconds);
  const result = await run();
  const perRequest = pids.map((pid, i) => Math.round(((cpuSeconds(pid) - before[i]) * 1e6) / result.requests.total));
  return { result, perRequest };
}

function load(url, requests, seconds, extra = {}) {
  return autocannon({ url, connections: CONNECTIONS, duration: seconds, requests, ...extra });
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** Scripts Redis has run so far: one per click job BullMQ adds (its addStandardJob), so one per Redis write. */
const scriptCalls = (port) =>
  Number(
    /cmdstat_evalsha:calls=(\d+)/.exec(
      execFileSync('redis-cli', ['-p', String(port), 'INFO', 'commandstats'], { encoding: 'utf8' }),
    )?.[1] ?? 0,
  );

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
  await pollUntil(async () => (await fetch(`http://127.0.0.1:${port}/healthz`).catch(() => null))?.ok, {
    what: 'bare express',
  });
  return {
    url: `http://127.0.0.1:${port}`,
    pid: proc.pid,
    async stop() {
      proc.kill('SIGTERM');
      await once(proc, 'exit');
    },
  };
}

export default async function run(ctx) {
  const seconds = ctx.quick ? 3 : 5;
  const rounds = ctx.quick ? 2 : 5;
  const redis = await startRedis('bench-redirect');
  const stack = await createStack(
    'benchredirect',
    { NODE_ENV: 'production', LOG_LEVEL: 'info', REDIS_URL: redis.url },
    ['api', 'ingest'],
  );
  const bare = await startBare();
  try {
    const c = await seedCampaign(stack, { productUrl: TARGET, reviewUrl: TARGET });
    // The API is only needed to create the campaign: stop it so it takes no CPU from the measurement.
    await stack.apps.api?.stop();
    const traffic = campaignTraffic(c.campaignId);
    const ingestLink = stack.ingestUrl;
    const bareLink = bare.url;

    // As long as a measured run: on a busy machine a 2 s warm-up left the first bare run at a fraction of its rate.
    ctx.log('warming up');
    await load(bareLink, traffic, seconds);
    await load(ingestLink, traffic, seconds);

    const bareRuns = [];
    const ingestRuns = [];
    // Back-to-back pairs, in alternating order: the ratio of each pair is taken under (nearly) the same
    // conditions, which matters on a machine shared with other work.
    const ratios = [];
    let jobs = 0;
    const ingestRun = async () => {
      const before = scriptCalls(redis.port);
      ingestRuns.push(await load(ingestLink, traffic, seconds));
      jobs += scriptCalls(redis.port) - before;
    };
    for (let i = 0; i < rounds; i++) {
      if (i % 2 === 0) {
        bareRuns.push(await load(bareLink, traffic, seconds));
        await ingestRun();
      } else {
        await ingestRun();
        bareRuns.push(await load(bareLink, traffic, seconds));
      }
      const [bareRps, ingestRps] = [bareRuns.at(-1).requests.average, ingestRuns.at(-1).requests.average];
      ratios.push(ingestRps / bareRps);
      ctx.log(
        `round ${i + 1}: bare ${Math.round(bareRps)} req/s, ingest ${Math.round(ingestRps)} req/s (${(ingestRps / bareRps).toFixed(2)}×)`,
      );
    }
    const b = summarise(bareRuns);
    const g = summarise(ingestRuns);
    const ratio = median(ratios);
    const spread = `pairs ${Math.min(...ratios).toFixed(2)}–${Math.max(...ratios).toFixed(2)}×`;
    const clicksPerJob = ingestRuns.reduce((n, r) => n + r.requests.total, 0) / jobs;
    if (b.non3xx || g.non3xx) ctx.log(`warning: ${b.non3xx} bare and ${g.non3xx} ingest responses were not 302`);

    const halfRate = Math.floor(g.rps / 2);
    ctx.log(`ingest at half its saturated rate: ${halfRate} req/s`);
    const ingestPid = stack.apps.ingest?.proc.pid;
    const halfIngestRun = await withCpu([ingestPid, redis.pid], () =>
      load(ingestLink, traffic, seconds, { overallRate: halfRate }),
    );
    const halfBareRun = await withCpu([bare.pid], () => load(bareLink, traffic, seconds, { overallRate: halfRate }));
    const halfIngest = summarise([halfIngestRun.result]);
    const halfBare = summarise([halfBareRun.result]);
    const [ingestCpu, redisCpu] = halfIngestRun.perRequest;
    const [bareCpu] = halfBareRun.perRequest;
    // The latency a campaign sees at an ordinary busy moment: a tenth of what saturates the process.
    const tenthRate = Math.floor(g.rps / 10);
    const tenthIngest = summarise([
      await load(ingestLink, traffic, seconds, { overallRate: tenthRate, connections: 4 }),
    ]);
    const tenthBare = summarise([await load(bareLink, traffic, seconds, { overallRate: tenthRate, connections: 4 })]);

    const note = `${CONNECTIONS} connections, ${rounds} pairs of ${seconds} s runs, medians`;
    return {
      name: 'ingest-redirect',
      machine: machine(),
      rows: [
        {
          metric: 'redirect req/s (saturated)',
          value: Math.round(g.rps),
          unit: 'req/s',
          baseline: 'bare Express 302',
          baselineValue: Math.round(b.rps),
          ratio: +ratio.toFixed(2),
          note: `target ≥ 0.9× (median of the pairs' ratios; ${spread}); ${note}`,
        },
        {
          metric: 'redirect p50 (saturated)',
          value: g.p50,
          unit: 'ms',
          baseline: 'bare Express 302',
          baselineValue: b.p50,
          ratio: b.p50 ? +(g.p50 / b.p50).toFixed(2) : undefined,
          note,
        },
        {
          metric: 'redirect p99 (saturated)',
          value: g.p99,
          unit: 'ms',
          baseline: 'bare Express 302',
          baselineValue: b.p99,
          ratio: b.p99 ? +(g.p99 / b.p99).toFixed(2) : undefined,
          note,
        },
        {
          metric: 'redirect p50 at half rate',
          value: halfIngest.p50,
          unit: 'ms',
          baseline: 'bare Express 302 at the same rate',
          baselineValue: halfBare.p50,
          note: `${halfRate} req/s offered (autocannon overallRate)`,
        },
        {
          metric: 'redirect p99 at half rate',
          value: halfIngest.p99,
          unit: 'ms',
          baseline: 'bare Express 302 at the same rate',
          baselineValue: halfBare.p99,
          note: `target ≤ 10 ms; ${halfRate} req/s offered`,
        },
        {
          metric: 'redirect p50 at a tenth of saturation',
          value: tenthIngest.p50,
          unit: 'ms',
          baseline: 'bare Express 302 at the same rate',
          baselineValue: tenthBare.p50,
          note: `${tenthRate} req/s offered over 4 connections`,
        },
        {
          metric: 'redirect p99 at a tenth of saturation',
          value: tenthIngest.p99,
          unit: 'ms',
          baseline: 'bare Express 302 at the same rate',
          baselineValue: tenthBare.p99,
          note: `target ≤ 10 ms; ${tenthRate} req/s offered over 4 connections`,
        },
        {
          metric: 'CPU per redirect (server process)',
          value: ingestCpu,
          unit: 'µs',
          baseline: 'bare Express 302',
          baselineValue: bareCpu,
          ratio: +(ingestCpu / bareCpu).toFixed(2),
          note: `at ${halfRate} req/s; less sensitive to other load on the machine than req/s`,
        },
        {
          metric: 'CPU per redirect in Redis',
          value: redisCpu,
          unit: 'µs',
          note: 'the redis-server taking the click jobs',
        },
        {
          metric: 'clicks per Redis write (saturated)',
          value: +clicksPerJob.toFixed(1),
          unit: 'clicks',
          note: 'clicks of one event-loop turn go to Redis as one job: one script call (round trip) per job',
        },
      ],
    };
  } finally {
    await bare.stop();
    await stack.stop();
    await redis.remove();
  }
}
