import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { BROWSER_UA, freePort, pollUntil, type Stack } from '@seedline/testkit';

/** The queues ingest writes to. */
export const INGEST_QUEUES = ['signups', 'clicks', 'submissions'] as const;

/** Counts every job of the ingest queues under the stack's prefix, in any state (waiting, done, failed…). */
export class JobCounter {
  private readonly connection: Redis;
  private readonly queues: Queue[];

  constructor(stack: Stack) {
    this.connection = new Redis(stack.env.REDIS_URL as string, { maxRetriesPerRequest: null });
    this.queues = INGEST_QUEUES.map((name) => new Queue(name, { connection: this.connection, prefix: stack.prefix }));
  }

  async counts(): Promise<Record<string, number>> {
    const out: Record<string, number> = {};
    for (const q of this.queues) {
      const byState = await q.getJobCounts();
      out[q.name] = Object.values(byState).reduce((a, b) => a + b, 0);
    }
    return out;
  }

  /** Every click event carried by the jobs of the clicks queue (one job may carry many clicks). */
  async clickEvents(): Promise<{ eventId: string; influencerId: string }[]> {
    const clicks = this.queues[1] as Queue;
    const jobs = await clicks.getJobs(['waiting', 'active', 'completed', 'failed', 'delayed', 'prioritized']);
    return jobs.flatMap((j) => (j?.data?.events ?? []) as { eventId: string; influencerId: string }[]);
  }

  async close(): Promise<void> {
    await Promise.all(this.queues.map((q) => q.close()));
    this.connection.disconnect();
  }
}

export interface ClickOptions {
  ua?: string;
  /** the client address, given through X-Forwarded-For (ingest trusts it from a loopback peer, as from a proxy) */
  ip?: string;
  method?: 'GET' | 'HEAD';
  headers?: Record<string, string>;
  timeoutMs?: number;
}

export async function click(url: string, opts: ClickOptions = {}): Promise<Response> {
  const headers: Record<string, string> = { 'User-Agent': opts.ua ?? BROWSER_UA, ...opts.headers };
  if (opts.ip) headers['X-Forwarded-For'] = opts.ip;
  const res = await fetch(url, {
    method: opts.method ?? 'GET',
    redirect: 'manual',
    headers,
    signal: AbortSignal.timeout(opts.timeoutMs ?? 15_000),
  });
  await res.arrayBuffer();
  return res;
}

/** Swaps one character of a token for another base64url character: the signature no longer matches. */
export function flip(token: string, at: number): string {
  const c = token[at] === 'A' ? 'B' : 'A';
  return token.slice(0, at) + c + token.slice(at + 1);
}

/** The token part of a tracked link (`…/l/<token>`) or a form link (`…/s/<token>`). */
export const tokenOf = (link: string) => link.split(/\/[ls]\//)[1] as string;

/** A Redis server of the test's own, on a free port with an append-only file, that it can stop and start. */
export class DedicatedRedis {
  private proc: ChildProcess | null = null;
  readonly dir = mkdtempSync(join(tmpdir(), 'seedline-redis-'));

  private constructor(readonly port: number) {}

  static async create(): Promise<DedicatedRedis> {
    const server = new DedicatedRedis(await freePort());
    await server.start();
    return server;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    if (this.proc) return;
    const proc = spawn(
      'redis-server',
      [
        '--port',
        String(this.port),
        '--bind',
        '127.0.0.1',
        '--save',
        '',
        '--appendonly',
        'yes',
        '--dir',
        this.dir,
        '--daemonize',
        'no',
        '--maxmemory-policy',
        'noeviction',
      ],
      { stdio: 'ignore' },
    );
    this.proc = proc;
    await pollUntil(
      async () => {
        if (proc.exitCode !== null) throw new Error(`redis-server exited with ${proc.exitCode}`);
        const probe = new Redis(this.url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
        probe.on('error', () => undefined); // refused until the server listens: that is what is polled for
        try {
          await probe.connect();
          return (await probe.ping()) === 'PONG';
        } finally {
          probe.disconnect();
        }
      },
      { what: `redis-server on port ${this.port}` },
    );
  }

  /** SIGSTOP: connections stay open but nothing is answered, as with a hung server or a network black hole. */
  freeze(): void {
    this.proc?.kill('SIGSTOP');
  }

  thaw(): void {
    this.proc?.kill('SIGCONT');
  }

  /** SIGTERM: Redis writes its append-only file and exits, as in a planned restart. */
  async stop(): Promise<void> {
    const proc = this.proc;
    this.proc = null;
    if (!proc || proc.exitCode !== null) return;
    const exited = new Promise((resolve) => proc.once('exit', resolve));
    proc.kill('SIGCONT');
    proc.kill('SIGTERM');
    await exited;
  }

  async destroy(): Promise<void> {
    await this.stop();
    rmSync(this.dir, { recursive: true, force: true });
  }
}
