import { freePort } from './ports.js';
import { startApp, type AppName, type RunningApp } from './processes.js';
import { deleteKeys, dropDatabase, mongoUrlFor, REDIS_URL } from './services.js';
import { uniqueName } from './names.js';

export const TEST_SECRETS = {
  ADMIN_TOKEN: 'test-admin-token-0123456789',
  INGEST_TOKEN: 'test-ingest-token-0123456789',
  LINK_SECRET: 'test-link-secret-0123456789',
  WEBHOOK_SECRET: 'test-webhook-secret-0123456789',
};

export interface Stack {
  env: Record<string, string>;
  db: string;
  prefix: string;
  apiUrl: string;
  ingestUrl: string;
  apps: Partial<Record<AppName, RunningApp>>;
  /** more workers, started with `addWorker` */
  extraWorkers: RunningApp[];
  start(name: AppName): Promise<RunningApp>;
  addWorker(env?: Record<string, string>): Promise<RunningApp>;
  stop(): Promise<void>;
}

/**
 * The real apps as real processes over a database and a queue prefix of their own, on free ports.
 * `stop()` terminates them and removes the database and the Redis keys.
 */
export async function createStack(
  label: string,
  env: Record<string, string> = {},
  apps: AppName[] = ['api', 'ingest', 'worker'],
): Promise<Stack> {
  const db = uniqueName(label);
  const prefix = `{${db}}`;
  const [apiPort, ingestPort] = await Promise.all([freePort(), freePort()]);
  const baseEnv: Record<string, string> = {
    ...TEST_SECRETS,
    REDIS_URL,
    MONGO_URL: mongoUrlFor(db),
    QUEUE_PREFIX: prefix,
    API_PORT: String(apiPort),
    INGEST_PORT: String(ingestPort),
    PUBLIC_INGEST_URL: `http://127.0.0.1:${ingestPort}`,
    SPOOL_DIR: `.run/test-spool/${db}`,
    WORKER_LOCK_MS: '5000',
    // the hosts tests' campaigns redirect to, besides Amazon's
    ALLOWED_REDIRECT_HOSTS: 'example.com,*.example.com,shop.example',
    ...env,
  };
  const stack: Stack = {
    env: baseEnv,
    db,
    prefix,
    apiUrl: `http://127.0.0.1:${apiPort}`,
    ingestUrl: `http://127.0.0.1:${ingestPort}`,
    apps: {},
    extraWorkers: [],
    async start(name) {
      const port = name === 'api' ? apiPort : name === 'ingest' ? ingestPort : undefined;
      const app = await startApp(name, stack.env, { port, label: `${label}-${name}` });
      stack.apps[name] = app;
      return app;
    },
    async addWorker(extra = {}) {
      const app = await startApp(
        'worker',
        { ...stack.env, ...extra },
        { label: `${label}-worker-${stack.extraWorkers.length + 2}` },
      );
      stack.extraWorkers.push(app);
      return app;
    },
    async stop() {
      await Promise.all([...Object.values(stack.apps), ...stack.extraWorkers].map((a) => a?.stop()));
      await dropDatabase(baseEnv.MONGO_URL as string).catch(() => undefined);
      await deleteKeys(prefix, baseEnv.REDIS_URL).catch(() => undefined);
    },
  };
  // api first: it creates the indexes the others rely on.
  for (const name of apps) await stack.start(name);
  return stack;
}
