// Database commands and statements per event in the worker's hot path, counted with the MongoDB driver's
// command monitoring around the db package's write functions (what the worker's processors call):
//  - sign-ups, one job each (the signups queue runs them 50 at a time);
//  - first purchase clicks (every one a status change) and later clicks (none is), in batches of 500 as the
//    click batcher groups them under load, and one click per write as at low load.
// A command is one round trip; a statement is one document written or one filter updated inside it.
//   node bench/worker-roundtrips.bench.mjs [--root <checkout>]   (--root: an older checkout's db package, counted
//   too and shown as the baseline; `ctx.root` from bench/run.mjs --root)
// The figures are deterministic counts, not timings: any machine gives the same.
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const WRITES = new Set(['insert', 'update', 'delete', 'findAndModify']);

function statementsOf(name, cmd) {
  if (name === 'insert') return cmd.documents?.length ?? 1;
  if (name === 'update') return cmd.updates?.length ?? 1;
  if (name === 'delete') return cmd.deletes?.length ?? 1;
  return 1;
}

async function count(root, url) {
  const require = createRequire(join(root, 'package.json'));
  const mongoose = require('mongoose');
  const db = await import(pathToFileURL(join(root, 'packages/db/dist/index.js')).href);
  const conn = mongoose.createConnection(url, {
    bufferCommands: false,
    autoIndex: false,
    autoCreate: false,
    maxPoolSize: 10,
    monitorCommands: true,
  });
  await conn.asPromise();
  const tally = { commands: 0, statements: 0, writes: 0, byName: {} };
  conn.getClient().on('commandStarted', (e) => {
    if (['endSessions', 'hello', 'ismaster', 'ping', 'buildInfo'].includes(e.commandName)) return;
    tally.commands++;
    const s = statementsOf(e.commandName, e.command);
    tally.statements += s;
    if (WRITES.has(e.commandName)) tally.writes += s;
    tally.byName[e.commandName] = (tally.byName[e.commandName] ?? 0) + 1;
  });
  const repos = db.createRepositories(conn);
  await db.ensureIndexes(repos);
  const campaignId = '65b000000000000000000001';
  const n = 2000;
  const ids = Array.from({ length: n }, (_, i) =>
    (0x65c0000000000000000000n + BigInt(i)).toString(16).padStart(24, '0'),
  );
  const extra = Array.from({ length: 200 }, (_, i) =>
    (0x65c1000000000000000000n + BigInt(i)).toString(16).padStart(24, '0'),
  );
  const t0 = Date.UTC(2026, 0, 5);
  const measure = async (label, events, fn) => {
    const before = { ...tally, byName: { ...tally.byName } };
    await fn();
    await new Promise((r) => setTimeout(r, 50)); // let a coalesced fold (new code) finish
    const per = (k) => (tally[k] - before[k]) / events;
    const names = Object.fromEntries(
      Object.entries(tally.byName)
        .map(([k, v]) => [k, (v - (before.byName[k] ?? 0)) / events])
        .filter(([, v]) => v > 0),
    );
    return {
      label,
      events,
      commands: per('commands'),
      statements: per('statements'),
      writes: per('writes'),
      byName: names,
    };
  };
  const click = (i, id, tag, at) => ({
    eventId: `${tag}-${i}`,
    link: 'purchase',
    campaignId,
    influencerId: id,
    at: new Date(at).toISOString(),
    human: true,
    source: 'link',
    userAgent: 'Mozilla/5.0',
    ipHash: `h${i}`,
  });
  const inBatches = async (events, size) => {
    for (let i = 0; i < events.length; i += size) await repos.influencers.applyClicks(events.slice(i, i + size));
  };
  const rows = [];
  rows.push(
    await measure('sign-up (50 concurrent jobs, as the signups queue runs them)', n, async () => {
      for (let i = 0; i < n; i += 50) {
        const jobs = ids.slice(i, i + 50).map((id, k) => ({
          eventId: `s-${i + k}`,
          campaignId,
          influencerId: id,
          instagramHandle: `rt.${i + k}`,
          at: new Date(t0).toISOString(),
        }));
        // Newer worker: concurrent sign-up jobs share one write (applySignups); older: one write each.
        if (repos.influencers.applySignups) await repos.influencers.applySignups(jobs);
        else await Promise.all(jobs.map((job) => repos.influencers.applySignup(job)));
      }
    }),
  );
  rows.push(
    await measure('sign-up, one per write (low load)', 200, async () => {
      for (let i = 0; i < 200; i++)
        await repos.influencers.applySignup({
          eventId: `x-${i}`,
          campaignId,
          influencerId: extra[i],
          instagramHandle: `rx.${i}`,
          at: new Date(t0).toISOString(),
        });
    }),
  );
  rows.push(
    await measure('first purchase click, batches of 500 (every one a status change)', n, () =>
      inBatches(
        ids.map((id, i) => click(i, id, 'p1', t0 + 3600_000 + i)),
        500,
      ),
    ),
  );
  rows.push(
    await measure('later click, batches of 500 (no status change)', n, () =>
      inBatches(
        ids.map((id, i) => click(i, id, 'p2', t0 + 7200_000 + i)),
        500,
      ),
    ),
  );
  rows.push(
    await measure('later click, one per write (low load)', 200, () =>
      inBatches(
        ids.slice(0, 200).map((id, i) => click(i, id, 'p3', t0 + 9000_000 + i)),
        1,
      ),
    ),
  );
  await conn.dropDatabase();
  await conn.close();
  return rows;
}

export default async function run(ctx = {}) {
  const base = (process.env.MONGO_URL ?? 'mongodb://127.0.0.1:27017/seedline').replace(/\/[^/]*$/, '');
  const rows = await count(resolve(here, '..'), `${base}/bench_roundtrips_${process.pid}`);
  const older = ctx.root ? await count(resolve(ctx.root), `${base}/bench_roundtrips_${process.pid}_base`) : null;
  const against = (i, key) => {
    const b = older?.[i]?.[key];
    if (b === undefined) return {};
    return { baseline: ctx.root, baselineValue: Number(b.toFixed(3)), ratio: b ? rows[i][key] / b : undefined };
  };
  return {
    name: 'worker-roundtrips',
    rows: rows.flatMap((r, i) => [
      {
        metric: `${r.label}: commands per event`,
        value: Number(r.commands.toFixed(3)),
        unit: 'round trips',
        ...against(i, 'commands'),
      },
      {
        metric: `${r.label}: statements per event`,
        value: Number(r.statements.toFixed(3)),
        unit: 'statements',
        ...against(i, 'statements'),
      },
    ]),
    detail: older ? { current: rows, base: older } : rows,
  };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const i = process.argv.indexOf('--root');
  const out = await run({ root: i > 0 ? resolve(process.argv[i + 1]) : undefined });
  console.log(JSON.stringify(out.detail, null, 2));
  process.exit(0);
}
