import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '@seedline/testkit';
import { MongoClient } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// `npm run services` on a checkout that has never run it: its scripts and tools are copied into an empty
// folder and pointed at free ports, so it must create its own PostgreSQL cluster and start FerretDB, Redis and
// Mailpit there. The builds (FerretDB, Mailpit, the DocumentDB extensions) are cached per machine, so this
// test reuses them; what it checks is that nothing of the checkout's own .run/ is needed.
const ROOT = join(import.meta.dirname, '../..');

function redisPing(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = createConnection({ host: '127.0.0.1', port }, () => socket.write('PING\r\n'));
    socket.once('data', (data) => {
      resolve(data.toString().trim());
      socket.end();
    });
    socket.once('error', reject);
  });
}

describe('npm run services from nothing', () => {
  let dir = '';
  let env: NodeJS.ProcessEnv = {};
  const ports = { redis: 0, mongo: 0, pg: 0, smtp: 0, mailpitUi: 0 };
  const run = () => spawnSync('bash', [join(dir, 'scripts/services.sh')], { env, encoding: 'utf8', timeout: 600_000 });
  const pids = () =>
    ['ferretdb.pid', 'mailpit.pid', `redis-${ports.redis}.pid`].map((f) =>
      readFileSync(join(dir, '.run', f), 'utf8').trim(),
    );

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'seedline-services-'));
    chmodSync(dir, 0o755); // as root, the cluster runs as `postgres`, which must reach .run/pg
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
  });

  afterAll(() => {
    if (!dir) return;
    spawnSync('bash', [join(dir, 'scripts/services/stop.sh')], { env, timeout: 60_000 });
    rmSync(dir, { recursive: true, force: true });
  });

  it('brings up our PostgreSQL, FerretDB 2, Redis and Mailpit, and a second run changes nothing', async () => {
    const first = run();
    expect(first.status, first.stderr).toBe(0);
    expect(first.stderr).toContain(`creating the project's PostgreSQL cluster`);
    expect(existsSync(join(dir, '.run/pg/data/PG_VERSION'))).toBe(true);

    expect(await redisPing(ports.redis)).toBe('+PONG');
    const client = await MongoClient.connect(env.MONGO_URL!, { serverSelectionTimeoutMS: 5000 });
    try {
      const info = await client.db('admin').command({ buildInfo: 1 });
      expect(String((info.ferretdb as { version?: string } | undefined)?.version)).toMatch(/^v2\./);
      await client.db('seedline').collection('probe').insertOne({ ok: 1 });
      expect(await client.db('seedline').collection('probe').countDocuments()).toBe(1);
    } finally {
      await client.close();
    }
    const pg = execFileSync(
      'psql',
      [
        `postgres://postgres@127.0.0.1:${ports.pg}/postgres`,
        '-tAc',
        "SELECT extversion FROM pg_extension WHERE extname = 'documentdb'",
      ],
      { encoding: 'utf8' },
    );
    expect(pg.trim()).not.toBe('');
    const mailpit = await fetch(`http://127.0.0.1:${ports.mailpitUi}/api/v1/info`);
    expect(mailpit.status).toBe(200);

    const before = pids();
    const second = run();
    expect(second.status, second.stderr).toBe(0);
    expect(second.stderr).toBe('');
    expect(pids()).toEqual(before);
  });
});
