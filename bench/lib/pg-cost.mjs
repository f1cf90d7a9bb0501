// What PostgreSQL spends on a phase of work, read from a cluster of the caller's own (the db-cost bench):
// WAL (LSN and pg_stat_wal), heap tuples per table (pg_stat_all_tables), index blocks touched
// (pg_statio_all_indexes), the cluster's CPU seconds (/proc) and, when loaded, pg_stat_statements.
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { cpuSeconds } from '../faults/lib/procstat.mjs';

const MARK = '__pgcost_end__';

/**
 * One long-lived `psql` session (one backend for every sample, so sampling does not fork a backend per poll
 * and its own cost stays small and steady). `query(sql)` resolves with the rows' text, one line per row.
 */
export function psqlSession(url) {
  const proc = spawn('psql', [url, '-qAtX', '-v', 'ON_ERROR_STOP=0'], { stdio: ['pipe', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  let waiting = null;
  proc.stdout.on('data', (c) => {
    out += c;
    const at = out.indexOf(`${MARK}\n`);
    if (at >= 0 && waiting) {
      const text = out.slice(0, at);
      out = out.slice(at + MARK.length + 1);
      const w = waiting;
      waiting = null;
      const e = err;
      err = '';
      if (e.trim()) w.reject(new Error(`psql: ${e.trim()}`));
      else w.resolve(text.replace(/\n$/, ''));
    }
  });
  proc.stderr.on('data', (c) => (err += c));
  let ended = null;
  proc.on('close', (code) => {
    ended = new Error(`psql ended (${code}): ${err.trim()}`);
    waiting?.reject(ended);
    waiting = null;
  });
  let chain = Promise.resolve();
  const query = (sql) => {
    const p = chain.then(
      () =>
        new Promise((resolve, reject) => {
          if (ended) return reject(ended);
          waiting = { resolve, reject };
          proc.stdin.write(`${sql.trim().replace(/;$/, '')};\n\\echo ${MARK}\n`);
        }),
    );
    chain = p.catch(() => undefined);
    return p;
  };
  return { query, close: () => proc.stdin.end() };
}

export const lsnBytes = (lsn) => {
  const [hi, lo] = lsn.split('/');
  return BigInt(`0x${hi}`) * 2n ** 32n + BigInt(`0x${lo}`);
};

const WAL_SNAPSHOT = `
SELECT json_build_object(
  'lsn', pg_current_wal_lsn()::text,
  'wal', (SELECT json_build_object('records', wal_records, 'fpi', wal_fpi, 'bytes', wal_bytes::bigint) FROM pg_stat_wal))`;
const TABLE_SNAPSHOT = `
SELECT json_build_object(
  'tables', (SELECT json_object_agg(coalesce('toast:' || o.relname, s.relname),
                                     json_build_array(n_tup_ins, n_tup_upd, n_tup_hot_upd, n_tup_del))
             FROM pg_stat_all_tables s LEFT JOIN pg_class o ON o.reltoastrelid = s.relid
             WHERE s.schemaname = 'documentdb_data'
                OR o.relnamespace = 'documentdb_data'::regnamespace),
  'indexBlocks', (SELECT json_object_agg(indexrelname, idx_blks_hit + idx_blks_read)
                  FROM pg_statio_all_indexes WHERE schemaname = 'documentdb_data'),
  'vacuums', (SELECT json_build_array(coalesce(sum(autovacuum_count), 0), coalesce(sum(autoanalyze_count), 0))
              FROM pg_stat_all_tables WHERE schemaname IN ('documentdb_data', 'pg_toast')))`;

// A backend that went idle less than 1 s after its last flush of table statistics flushes them up to 10 s
// later (PostgreSQL 15: PGSTAT_IDLE_INTERVAL), so the table figures are read that long after the work ended.
const STATS_LAG_MS = 11_000;

/**
 * CPU seconds of a whole cluster: its postmaster (with every child it has reaped: cutime/cstime) and the
 * children still running. Backends that ended in the window are counted through the postmaster's cutime.
 */
export function clusterCpuSeconds(postmasterPid) {
  let total = 0;
  try {
    const stat = readFileSync(`/proc/${postmasterPid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    total += (Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14])) / 100;
  } catch {
    return null;
  }
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === postmasterPid) total += cpuSeconds(Number(entry)) ?? 0;
    } catch {
      /* exited meanwhile: its time is in the postmaster's cutime now */
    }
  }
  return total;
}

/** The collections of one FerretDB database: table → collection, index relation → index name. */
export async function catalogue(pg, database) {
  const rows = await pg.query(`
    SELECT c.collection_id, c.collection_name, ci.index_id, (ci.index_spec).index_name
    FROM documentdb_api_catalog.collections c
    JOIN documentdb_api_catalog.collection_indexes ci USING (collection_id)
    WHERE c.database_name = '${database.replace(/'/g, "''")}'`);
  const tables = new Map();
  const indexes = new Map();
  for (const line of rows.split('\n').filter(Boolean)) {
    const [cid, coll, iid, name] = line.split('|');
    const table = `documents_${cid}`;
    const t = tables.get(table) ?? { collection: coll, secondary: [] };
    if (name !== '_id_') t.secondary.push(name);
    tables.set(table, t);
    indexes.set(name === '_id_' ? `collection_pk_${cid}` : `documents_rum_index_${iid}`, `${coll}.${name}`);
  }
  return { tables, indexes };
}

/** Takes a snapshot now; `end()` takes the second one and returns the phase's cost. */
export async function startPhase(pg, postmasterPid, { statements }) {
  if (statements) await pg.query('SELECT pg_stat_statements_reset()');
  const before = { ...JSON.parse(await pg.query(WAL_SNAPSHOT)), ...JSON.parse(await pg.query(TABLE_SNAPSHOT)) };
  const cpu0 = clusterCpuSeconds(postmasterPid);
  const t0 = performance.now();
  return {
    async end(cat) {
      const seconds = (performance.now() - t0) / 1000;
      const cpu1 = clusterCpuSeconds(postmasterPid);
      const after = JSON.parse(await pg.query(WAL_SNAPSHOT));
      let top = null;
      if (statements) {
        const rows = await pg.query(`
          SELECT calls, round(total_exec_time)::bigint, wal_bytes::bigint, rows, left(regexp_replace(query, '\\s+', ' ', 'g'), 110)
          FROM pg_stat_statements WHERE query NOT LIKE '%pg_stat%' AND query NOT LIKE '%pg_current_wal_lsn%'
          ORDER BY wal_bytes DESC, total_exec_time DESC LIMIT 5`);
        top = rows
          .split('\n')
          .filter(Boolean)
          .map((l) => {
            const [calls, ms, wal, n, query] = l.split('|');
            return { calls: Number(calls), ms: Number(ms), walBytes: Number(wal), rows: Number(n), query };
          });
      }
      await new Promise((r) => setTimeout(r, STATS_LAG_MS));
      Object.assign(after, JSON.parse(await pg.query(TABLE_SNAPSHOT)));
      // pg_stat_wal is flushed the same lazy way; the LSN (the bytes) is exact and was read at the end.
      after.wal = JSON.parse(await pg.query(WAL_SNAPSHOT)).wal;
      const perTable = {};
      let heapWrites = 0;
      let indexEntries = 0;
      for (const [rel, [ins, upd, hot, del]] of Object.entries(after.tables ?? {})) {
        const [i0, u0, h0, d0] = before.tables?.[rel] ?? [0, 0, 0, 0];
        const d = { ins: ins - i0, upd: upd - u0, hot: hot - h0, del: del - d0 };
        if (d.ins + d.upd + d.del === 0) continue;
        // A document over ~2 KB is stored out of line: its TOAST table is written too, and has no index of ours.
        const toast = rel.startsWith('toast:');
        const t = toast ? undefined : cat.tables.get(rel);
        // Every insert and every non-HOT update adds one entry to each index of the table (DocumentDB's
        // single `document` column makes HOT impossible once any index covers a field of it).
        const entries = t ? (d.ins + d.upd - d.hot) * (1 + t.secondary.length) : 0;
        heapWrites += d.ins + d.upd + d.del;
        indexEntries += entries;
        const owner = toast ? cat.tables.get(rel.slice(6)) : undefined;
        perTable[t ? t.collection : owner ? `${owner.collection} (TOAST)` : rel] = {
          ...d,
          indexes: t ? 1 + t.secondary.length : null,
          indexEntries: entries,
        };
      }
      const indexBlocks = {};
      for (const [rel, n] of Object.entries(after.indexBlocks ?? {})) {
        const d = n - (before.indexBlocks?.[rel] ?? 0);
        const name = cat.indexes.get(rel);
        if (d > 0 && name) indexBlocks[name] = d;
      }
      return {
        seconds,
        walBytes: Number(lsnBytes(after.lsn) - lsnBytes(before.lsn)),
        walRecords: after.wal.records - before.wal.records,
        walFpi: after.wal.fpi - before.wal.fpi,
        cpuSeconds: cpu0 === null || cpu1 === null ? null : cpu1 - cpu0,
        heapWrites,
        indexEntries,
        perTable,
        indexBlocks,
        // Autovacuum's work (WAL, CPU) falls in whichever phase it happens to run in: this says when it did.
        autovacuums: (after.vacuums?.[0] ?? 0) - (before.vacuums?.[0] ?? 0),
        autoanalyzes: (after.vacuums?.[1] ?? 0) - (before.vacuums?.[1] ?? 0),
        top,
      };
    },
  };
}
