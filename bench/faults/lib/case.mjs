import { pathToFileURL } from 'node:url';
import { connectMongo, createRepositories } from '@seedline/db';
import { createStack, startFerretDb, startPostgres, uniqueName } from '@seedline/testkit';
import { startRedis } from './services.mjs';
import { Ledger, seedWorkload, settle } from './workload.mjs';

/** Limits raised so that the fault cases' own traffic is never flagged or refused by the per-IP limits. */
export const CASE_ENV = { LINK_RECORD_LIMIT: '100000', PUBLIC_POST_LIMIT: '100000' };

/** Every case's label starts with this, so the log scan finds the run's log files (.run/test-logs/<label>-*). */
export const LABEL_PREFIX = 'faults';

/**
 * Starts a stack, seeds a workload, runs `body`, waits for recovery and verifies; always stops the stack.
 * Each case has a FerretDB process and a Redis server of its own (PostgreSQL is shared unless `opts.ownPostgres`),
 * so a case that freezes or kills one, or a stuck shared one, touches no other case. `body` returns
 * `{faultEndedAt, allowedLoss?, notes?, checks?, after?}` (`after`: more checks, made once the case settled).
 */
export async function runCase(def, opts, body) {
  const log = opts.log ?? (() => undefined);
  const ledger = new Ledger();
  const cleanups = [];
  let stack;
  const t0 = Date.now();
  try {
    const label = `${LABEL_PREFIX}-${def.name}`;
    const postgres = opts.ownPostgres ? await startPostgres(def.name) : undefined;
    if (postgres) cleanups.push(() => postgres.remove());
    const ferret = await startFerretDb(label, { postgresUrl: postgres?.url });
    cleanups.push(() => ferret.stop());
    const own = (await opts.services?.(cleanups)) ?? {};
    // A Redis of the case's own too (unless the case brings one): the shared one carries every other test's
    // traffic, and its hiccups would be charged to the case.
    let redisEnv = {};
    if (!own.env?.REDIS_URL) {
      const redis = await startRedis(def.name);
      cleanups.push(() => redis.remove());
      redisEnv = { REDIS_URL: redis.url };
    }
    const services = { ferret, postgres, ...own };
    const mongo = { MONGO_URL: `${ferret.base}/${uniqueName(def.name)}` };
    stack = await createStack(label, { ...CASE_ENV, ...mongo, ...redisEnv, ...own.env, ...(opts.env ?? {}) });
    log(`${def.name}: stack up, seeding`);
    const w = await seedWorkload(stack, opts.influencers ?? 40, ledger);
    log(`${def.name}: seeded, injecting the fault`);
    const out = await body({ stack, w, ledger, services, log });
    log(`${def.name}: ${ledger.acknowledged} events acknowledged; waiting for recovery`);
    const { result, recoveryMs } = await settle(w, ledger, {
      since: out.faultEndedAt ?? Date.now(),
      timeoutMs: opts.settleMs ?? 120_000,
    });
    log(
      `${def.name}: ${recoveryMs === null ? 'did not recover' : `recovered in ${recoveryMs} ms`}: ${JSON.stringify({ ...result, mismatches: result?.mismatches?.slice(0, 3) })}`,
    );
    const drift = await counterDrift(stack.env.MONGO_URL, w.campaignId);
    log(`${def.name}: stage counters against the documents: ${JSON.stringify(drift)}`);
    // Checks a case can only make once everything settled (`after`), beside those it made during the fault.
    const checks = [...(out.checks ?? []), ...((await out.after?.()) ?? [])];
    return makeRow(def, ledger, result, recoveryMs, { ...out, checks, drift }, Date.now() - t0);
  } catch (err) {
    return {
      case: def.name,
      title: def.title,
      error: err.stack ?? String(err),
      pass: false,
      acknowledged: ledger.acknowledged,
      found: 0,
      lost: 0,
      twice: 0,
      fiveXX: ledger.fiveXX,
      recoveryMs: null,
      checks: [],
      seconds: (Date.now() - t0) / 1000,
    };
  } finally {
    await bounded(stack?.stop(), 60_000);
    for (const c of cleanups.reverse()) await bounded(c(), 20_000);
  }
}

/**
 * The recount's comparison (nothing repaired) of the campaign's stage counters with its documents, once the
 * case has settled: counter moves a killed worker left unfolded are counted, so a fault may leave none.
 */
export async function counterDrift(mongoUrl, campaignId) {
  const conn = await connectMongo(mongoUrl);
  try {
    const r = await createRepositories(conn).recount(campaignId, { repair: false });
    return {
      measured: r.measured,
      drift: r.drift,
      miscounted: r.miscounted,
      unfolded: (await createRepositories(conn).counters.read(campaignId)).unfolded,
    };
  } finally {
    await conn.close();
  }
}

export function makeRow(def, ledger, result, recoveryMs, out, ms) {
  const checks = [...(out.checks ?? [])];
  if (out.drift) {
    const d = out.drift;
    const none = d.measured && Object.keys(d.drift).length === 0 && d.miscounted === 0;
    checks.push({ name: 'stage counters equal the documents (recount drift 0)', ok: none, detail: JSON.stringify(d) });
  }
  const allowedLoss = out.allowedLoss ?? 0;
  const r = result ?? { error: 'no verification result' };
  if (r.error) checks.push({ name: 'verification ran', ok: false, detail: r.error });
  checks.push({
    name: `lost ≤ ${allowedLoss}${allowedLoss ? ' (AOF everysec window)' : ''}`,
    ok: (r.lost ?? Infinity) <= allowedLoss,
    detail: String(r.lost),
  });
  checks.push({ name: 'counted twice = 0', ok: r.twice === 0, detail: String(r.twice) });
  checks.push({
    name: 'statuses match the acknowledged events',
    ok: r.statusErrors === 0,
    detail: String(r.statusErrors),
  });
  checks.push({
    name: 'recovered within 60 s',
    ok: recoveryMs !== null && recoveryMs <= 60_000,
    detail: recoveryMs === null ? 'never' : `${(recoveryMs / 1000).toFixed(1)} s`,
  });
  return {
    case: def.name,
    title: def.title,
    acknowledged: r.acknowledged ?? ledger.acknowledged,
    found: r.found ?? 0,
    lost: r.lost ?? null,
    twice: r.twice ?? null,
    fiveXX: ledger.fiveXX + (out.extraFiveXX ?? 0),
    fiveXXBadInput: out.fiveXXBadInput ?? 0,
    recoveryMs,
    allowedLoss,
    checks,
    notes: out.notes ?? '',
    mismatches: (r.mismatches ?? []).slice(0, 10),
    drift: out.drift ?? null,
    pass: checks.every((c) => c.ok),
    seconds: ms / 1000,
  };
}

/** Lets a case file run on its own: `node bench/faults/cases/<case>.mjs [--ci]`. */
export async function runIfMain(meta, def) {
  if (process.argv[1] && meta.url === pathToFileURL(process.argv[1]).href) {
    const row = await def.run({ ci: process.argv.includes('--ci'), log: (m) => console.error(m) });
    console.log(JSON.stringify(row, null, 2));
    process.exit(row.pass ? 0 : 1);
  }
}

/** Cleanup that can neither throw nor hang the suite. */
function bounded(p, ms) {
  let t;
  return Promise.race([Promise.resolve(p).catch(() => undefined), new Promise((r) => (t = setTimeout(r, ms)))]).finally(
    () => clearTimeout(t),
  );
}
