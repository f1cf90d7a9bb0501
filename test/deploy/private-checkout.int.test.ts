import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { freePort } from '@seedline/testkit';
import { MongoClient } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// A checkout inside a private folder (root's home, a `mktemp -d` folder: mode 0700). As root the embedded
// PostgreSQL runs as `postgres`, which cannot reach it, so its clusters live in folders of their own under the
// system's temporary directory: one per requested directory, so the fault suite's own cluster (SEEDLINE_PG_DIR)
// never lands on the checkout's main one. Everything on free ports; the shared services are not touched.
const ROOT = join(import.meta.dirname, '../..');
const PG_CTL = '/usr/lib/postgresql/15/bin/pg_ctl';

const psql = (port: number, sql: string) =>
  execFileSync('psql', [`postgres://postgres@127.0.0.1:${port}/postgres`, '-tAc', sql], { encoding: 'utf8' }).trim();

describe('npm run services from a checkout in a private folder', () => {
  let outer = '';
  let dir = '';
  let env: NodeJS.ProcessEnv = {};
  const ports = { redis: 0, mongo: 0, pg: 0, smtp: 0, mailpitUi: 0, ownPg: 0 };
  const ownDir = () => join(dir, '.run', 'faults', `pg-private-${ports.ownPg}`);
  const dataOf = (requested: string) => readFileSync(join(requested, 'datadir'), 'utf8').trim();

  beforeAll(async () => {
    outer = mkdtempSync(join(tmpdir(), 'seedline-private-'));
    expect(statSync(outer).mode & 0o777).toBe(0o700);
    dir = join(outer, 'checkout');
    mkdirSync(dir);
    cpSync(join(ROOT, 'scripts'), join(dir, 'scripts'), { recursive: true });
    cpSync(join(ROOT, 'tools'), join(dir, 'tools'), { recursive: true, filter: (src) => !src.includes('/bin') });
    for (const key of Object.keys(ports) as (keyof typeof ports)[]) ports[key] = await freePort();
    env = {
      ...process.env,
      REDIS_URL: `redis://127.0.0.1:${ports.redis}`,
      MONGO_URL: `mongodb://127.0.0.1:${ports.mongo}/seedline`,
      SEEDLINE_PG_PORT: String(ports.pg),
      SMTP_URL: `smtp://127.0.0.1:${ports.smtp}`,
      MAILPIT_SMTP: `127.0.0.1:${ports.smtp}`,
      MAILPIT_LISTEN: `127.0.0.1:${ports.mailpitUi}`,
    };
    delete env.FERRETDB_POSTGRESQL_URL;
    delete env.SEEDLINE_PG_DIR;
  });

  afterAll(() => {
    if (!dir) return;
    const clusters = [join(dir, '.run', 'pg'), ownDir()].filter((d) => existsSync(join(d, 'datadir'))).map(dataOf);
    spawnSync('bash', [join(dir, 'scripts/services/stop.sh')], { env, timeout: 60_000 });
    for (const data of clusters) {
      const stop = [PG_CTL, '-D', data, '-m', 'immediate', 'stop'];
      if (process.getuid?.() === 0) spawnSync('runuser', ['-u', 'postgres', '--', ...stop], { timeout: 60_000 });
      else spawnSync(PG_CTL, stop.slice(1), { timeout: 60_000 });
      rmSync(dirname(data), { recursive: true, force: true });
    }
    rmSync(outer, { recursive: true, force: true });
  });

  // Generous: under a loaded machine a new cluster, FerretDB and Mailpit take a while to come up.
  it(
    'brings the stack up, and a cluster of the fault suite’s own beside it is a second cluster',
    { timeout: 600_000 },
    async () => {
      const services = spawnSync('bash', [join(dir, 'scripts/services.sh')], {
        env,
        encoding: 'utf8',
        timeout: 600_000,
      });
      expect(services.status, services.stderr).toBe(0);
      const client = await MongoClient.connect(env.MONGO_URL!, { serverSelectionTimeoutMS: 5000 });
      try {
        await client.db('seedline').collection('probe').insertOne({ ok: 1 });
        expect(await client.db('seedline').collection('probe').countDocuments()).toBe(1);
      } finally {
        await client.close();
      }
      // What startPostgres (packages/testkit) does for db-crash and events-db-crash.
      const own = spawnSync('bash', [join(dir, 'scripts/services/postgres.sh')], {
        env: { ...env, SEEDLINE_PG_PORT: String(ports.ownPg), SEEDLINE_PG_DIR: ownDir() },
        encoding: 'utf8',
        timeout: 300_000,
      });
      expect(own.status, own.stderr).toBe(0);
      expect(own.stdout.trim().split('\n').pop()).toBe(`postgres://postgres@127.0.0.1:${ports.ownPg}/postgres`);
      const main = dataOf(join(dir, '.run', 'pg'));
      expect(existsSync(join(main, 'postmaster.pid'))).toBe(true);
      const ownData = dataOf(ownDir());
      expect(ownData).not.toBe(main);
      expect(existsSync(join(ownData, 'postmaster.pid'))).toBe(true);
      expect(psql(ports.ownPg, "SELECT count(*) FROM pg_extension WHERE extname = 'documentdb'")).toBe('1');
      expect(psql(ports.ownPg, 'SHOW data_directory')).toBe(ownData);
      expect(psql(ports.pg, 'SHOW data_directory')).toBe(main);
    },
  );
});
