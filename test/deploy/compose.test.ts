import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseDocument } from 'yaml';
import { arr, check, int, knownConfigKeys, obj, str, strMap, type Schema } from './mini-schema.js';

// No Docker engine here: `docker compose config` cannot run, so docker-compose.yml, the Dockerfile and the
// load balancer config are checked structurally and for the settings Seedline depends on.
const ROOT = join(import.meta.dirname, '../..');
const read = (f: string) => readFileSync(join(ROOT, f), 'utf8');
const APPS = {
  api: 'api',
  ingest: 'ingest',
  worker: 'worker',
  'ingest-pool': 'ingest',
  'worker-pool': 'worker',
} as const;

const cmd: Schema = { oneOf: [arr(str(), 1), str()] };
const healthcheck = obj(
  {
    test: arr(str(), 2),
    interval: str(/^\d+s$/),
    timeout: str(/^\d+s$/),
    retries: int(1),
    start_period: str(/^\d+s$/),
  },
  ['test'],
);
const service = obj(
  {
    image: str(),
    build: obj({ context: str(), dockerfile: str(), target: str() }, ['context']),
    command: cmd,
    environment: { oneOf: [strMap, arr(str())] },
    ports: arr(str(/^\d+:\d+$/)),
    volumes: arr(str()),
    depends_on: {
      type: 'object',
      additional: obj(
        {
          condition: { type: 'string', enum: ['service_started', 'service_healthy', 'service_completed_successfully'] },
        },
        ['condition'],
      ),
    },
    healthcheck,
    profiles: arr(str(/^[a-z][a-z0-9_-]*$/), 1),
    deploy: obj({ replicas: { oneOf: [int(1), str()] } }),
    restart: { type: 'string', enum: ['no', 'always', 'on-failure', 'unless-stopped'] },
    init: { type: 'boolean' },
    stop_grace_period: str(/^\d+s$/),
  },
  ['healthcheck'],
);
const composeSchema: Schema = obj(
  {
    name: str(/^[a-z0-9][a-z0-9_-]*$/),
    services: { type: 'object', additional: service },
    volumes: { type: 'object', additional: { type: 'any' } },
  },
  ['services'],
  { type: 'any' }, // x-* extension fields
);

describe('docker-compose.yml, Dockerfile and the ingest load balancer, structurally', () => {
  let compose: any;
  let text: string;
  beforeAll(() => {
    text = read('docker-compose.yml');
    const doc = parseDocument(text, { merge: true });
    expect(doc.errors).toEqual([]);
    compose = doc.toJS();
  });

  it('matches the compose schema (known keys only, x- extensions aside)', () => {
    const extra = Object.keys(compose).filter(
      (k) => !['name', 'services', 'volumes'].includes(k) && !k.startsWith('x-'),
    );
    expect(extra).toEqual([]);
    expect(check(compose, composeSchema)).toEqual([]);
  });

  it('runs MongoDB 7 as a single-node replica set initiated by its healthcheck', () => {
    const mongo = compose.services.mongo;
    expect(mongo.image).toMatch(/^mongo:7/);
    expect(mongo.command).toEqual(expect.arrayContaining(['--replSet', 'rs0']));
    expect(mongo.healthcheck.test.join(' ')).toMatch(/rs\.initiate\(/);
    expect(mongo.healthcheck.test.join(' ')).toMatch(/isWritablePrimary/);
  });

  it('runs Redis 7 with AOF everysec and noeviction', () => {
    const redis = compose.services.redis;
    expect(redis.image).toMatch(/^redis:7/);
    const args = redis.command.join(' ');
    expect(args).toMatch(/--appendonly yes/);
    expect(args).toMatch(/--appendfsync everysec/);
    expect(args).toMatch(/--maxmemory-policy noeviction/);
  });

  it('runs each app from the one image with node directly (SIGTERM reaches it), healthy, after its dependencies', async () => {
    const known = await knownConfigKeys();
    for (const [name, app] of Object.entries(APPS)) {
      const s = compose.services[name];
      expect(s, name).toBeDefined();
      expect(s.build).toMatchObject({ context: '.', dockerfile: 'Dockerfile', target: 'runtime' });
      expect(s.command).toEqual(['node', `apps/${app}/dist/main.js`]);
      expect(s.depends_on).toMatchObject({
        mongo: { condition: 'service_healthy' },
        redis: { condition: 'service_healthy' },
      });
      const probe = s.healthcheck.test.join(' ');
      if (app === 'worker') expect(probe).toMatch(/PING/);
      else expect(probe).toContain(`http://127.0.0.1:${app === 'api' ? 3000 : 3001}/healthz`);
      expect(
        Object.keys(s.environment).filter((k) => !known.has(k)),
        `${name} environment`,
      ).toEqual([]);
      for (const secret of ['ADMIN_TOKEN', 'INGEST_TOKEN', 'LINK_SECRET', 'WEBHOOK_SECRET', 'METRICS_TOKEN']) {
        expect(s.environment[secret], `${name} ${secret} must be given, never defaulted`).toMatch(
          new RegExp(`^\\$\\{${secret}:\\?`),
        );
      }
      expect(s.environment.MONGO_URL).toMatch(/replicaSet=rs0/);
      expect(s.environment.QUEUE_PREFIX).toMatch(/^\{[^}]+\}$/);
    }
  });

  it('sends reminder emails through a required SMTP_URL, and has a `dev` profile with Mailpit to catch them', () => {
    for (const name of Object.keys(APPS)) {
      const env = compose.services[name].environment;
      expect(env.SMTP_URL, name).toMatch(/^\$\{SMTP_URL:\?/);
      expect(env.REMINDER_FROM, name).toMatch(/^\$\{REMINDER_FROM:\?/);
    }
    const mailpit = compose.services.mailpit;
    expect(mailpit.image).toMatch(/^axllent\/mailpit:v\d/);
    expect(mailpit.profiles).toEqual(['dev']);
    expect(mailpit.ports).toContain('8025:8025');
    expect(mailpit.healthcheck.test).toEqual(['CMD', '/mailpit', 'readyz']);
  });

  it('has a `scale` profile: 2 ingest replicas behind nginx and N workers', () => {
    const inScale = Object.entries(compose.services)
      .filter(([, s]: [string, any]) => s.profiles?.includes('scale'))
      .map(([n]) => n);
    expect(inScale.sort()).toEqual(['ingest-lb', 'ingest-pool', 'worker-pool']);
    expect(compose.services['ingest-pool'].deploy.replicas).toBe(2);
    expect(String(compose.services['worker-pool'].deploy.replicas)).toMatch(/^(\d+|\$\{SEEDLINE_WORKERS:-\d+\})$/);
    const lb = compose.services['ingest-lb'];
    expect(lb.image).toMatch(/^nginx:/);
    expect(lb.depends_on['ingest-pool'].condition).toBe('service_healthy');
    const mount = lb.volumes.find((v: string) => v.includes('nginx'));
    const conf = read(mount.split(':')[0].replace(/^\.\//, ''));
    expect(conf).toMatch(/upstream\s+ingest_pool\s*\{[^}]*server\s+ingest-pool:3001/);
    expect(conf).toMatch(/proxy_pass\s+http:\/\/ingest_pool;/);
    expect(conf).toMatch(/X-Forwarded-For/);
    expect(conf).toMatch(/location\s+\/\s*\{/);
    // No host port clash: replicas publish nothing, the balancer does.
    expect(compose.services['ingest-pool'].ports).toBeUndefined();
  });

  it('declares every named volume it mounts, and every ${VAR} has a default or an error', () => {
    for (const [name, s] of Object.entries<any>(compose.services)) {
      for (const v of s.volumes ?? []) {
        const source = v.split(':')[0];
        if (!source.startsWith('.') && !source.startsWith('/'))
          expect(Object.keys(compose.volumes), `${name}: ${source}`).toContain(source);
      }
    }
    const bare = [...text.matchAll(/\$\{([A-Z_]+)\}/g)].map((m) => m[1]);
    expect(bare).toEqual([]);
  });

  it('builds in stages from node:20-slim with npm ci and turbo, and runs as a non-root user without npm', () => {
    const df = read('Dockerfile');
    const froms = [...df.matchAll(/^FROM\s+(\S+)(?:\s+AS\s+(\S+))?/gm)].map((m) => ({ image: m[1], stage: m[2] }));
    expect(froms.every((f) => f.image === 'node:20-slim')).toBe(true);
    expect(froms.map((f) => f.stage)).toEqual(expect.arrayContaining(['build', 'runtime']));
    expect(df).toMatch(/RUN npm ci\b/);
    expect(df).toMatch(/RUN npm ci --omit=dev/);
    expect(df).toMatch(/turbo run build/);
    expect(df).toMatch(/^USER node$/m);
    expect(df).not.toMatch(/^CMD .*npm/m);
    const ignore = read('.dockerignore');
    for (const p of ['**/node_modules', '**/dist', '.run', '.git']) expect(ignore.split('\n')).toContain(p);
  });
});
