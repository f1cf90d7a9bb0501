// What the machine's PostgreSQL did during a phase of a bench that shares it (webhooks): WAL written, commits, and
// what its active backends were waiting on, sampled. Cluster-wide figures: other work on the machine adds to them
// (a bench holds the bench lock, tests do not), so read them next to the other phase of the same run.
import { lsnBytes, psqlSession } from './pg-cost.mjs';

const PG_URL =
  process.env.FERRETDB_POSTGRESQL_URL ??
  `postgres://postgres@127.0.0.1:${process.env.SEEDLINE_PG_PORT ?? 54329}/postgres`;

const SNAPSHOT = `SELECT pg_current_wal_lsn()::text || '|' || (SELECT sum(xact_commit) FROM pg_stat_database)`;
const WAITS = `SELECT coalesce(wait_event_type || ':' || wait_event, 'CPU') FROM pg_stat_activity
  WHERE state = 'active' AND backend_type = 'client backend' AND pid <> pg_backend_pid()`;

/** Starts measuring now; `end()` returns {walBytes, commits, samples, waits: {event: count}}. */
export async function pgPhase({ sampleEveryMs = 500 } = {}) {
  const pg = psqlSession(PG_URL);
  const snap = async () => {
    const [lsn, commits] = (await pg.query(SNAPSHOT)).split('|');
    return { wal: lsnBytes(lsn), commits: Number(commits) };
  };
  const before = await snap();
  const waits = {};
  let samples = 0;
  let stopped = false;
  const sampling = (async () => {
    while (!stopped) {
      const rows = await pg.query(WAITS).catch(() => '');
      samples++;
      for (const w of rows.split('\n').filter(Boolean)) waits[w] = (waits[w] ?? 0) + 1;
      await new Promise((r) => setTimeout(r, sampleEveryMs));
    }
  })();
  return {
    async end() {
      stopped = true;
      await sampling;
      // pg_stat_database is flushed by each backend at most once a second: give the last ones a moment.
      await new Promise((r) => setTimeout(r, 1500));
      const after = await snap();
      pg.close();
      return { walBytes: Number(after.wal - before.wal), commits: after.commits - before.commits, samples, waits };
    },
  };
}

/** "LWLock:WALWrite 69, CPU 20, …": the most frequent waits of active backends, with the sample count. */
export function topWaits(waits, n = 4) {
  return Object.entries(waits)
    .sort((a, b) => b[1] - a[1])
    .slice(0, n)
    .map(([k, v]) => `${k} ${v}`)
    .join(', ');
}
