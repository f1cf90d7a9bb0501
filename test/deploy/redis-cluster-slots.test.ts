import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Queue, QueueKeys, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_QUEUE_PREFIX, QUEUE_NAMES } from '@seedline/domain';
import { liveStreamKey } from '@seedline/runtime';
import { deleteKeys, freePort, pollUntil, REDIS_URL, uniqueName } from '@seedline/testkit';
import { RedisLocks } from '../../apps/worker/src/locks/redis-locks.js';

/** CRC16-XMODEM (poly 0x1021, init 0), the checksum Redis Cluster uses for key slots. */
function crc16(data: Buffer): number {
  let crc = 0;
  for (const byte of data) {
    crc ^= byte << 8;
    for (let i = 0; i < 8; i++) crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
  }
  return crc;
}

/** HASH_SLOT as in the Redis Cluster specification: only the first non-empty {...} section is hashed. */
export function keySlot(key: string): number {
  const open = key.indexOf('{');
  if (open !== -1) {
    const close = key.indexOf('}', open + 1);
    if (close > open + 1) return crc16(Buffer.from(key.slice(open + 1, close))) % 16384;
  }
  return crc16(Buffer.from(key)) % 16384;
}

/** Every key BullMQ can create for a queue: its fixed keys, and the keys of one job. */
function bullKeys(prefix: string, queue: string): string[] {
  const fixed = Object.values(new QueueKeys(prefix).getKeys(queue));
  const job = `${prefix}:${queue}:job-1`;
  const perJob = [
    job,
    ...['lock', 'logs', 'dependencies', 'processed', 'failed', 'unsuccessful'].map((s) => `${job}:${s}`),
  ];
  const repeat = [`${prefix}:${queue}:repeat:reminder-sweep`, `${prefix}:${queue}:de:some-dedup-id`];
  return [...fixed, ...perJob, ...repeat];
}

describe('Redis Cluster key slots', () => {
  it('computes slots like Redis (reference values from the cluster specification and redis-cli)', () => {
    expect(crc16(Buffer.from('123456789'))).toBe(0x31c3);
    expect(keySlot('foo')).toBe(12182);
    expect(keySlot('{user1000}.following')).toBe(keySlot('{user1000}.followers'));
    expect(keySlot('foo{}{bar}')).toBe(keySlot('foo{}{bar}')); // empty tag: the whole key is hashed
    expect(keySlot('foo{}{bar}')).not.toBe(keySlot('bar'));
    expect(keySlot('foo{{bar}}zap')).toBe(keySlot('{bar'));
    expect(keySlot('foo{bar}{zap}')).toBe(keySlot('bar'));
  });

  it('puts every BullMQ key of every queue, the live streams and the reminder locks in ONE slot for the {seedline} prefix', () => {
    const locks = new RedisLocks({} as never, DEFAULT_QUEUE_PREFIX, 'reminder');
    const keys = [
      ...QUEUE_NAMES.flatMap((q) => bullKeys(DEFAULT_QUEUE_PREFIX, q)),
      liveStreamKey(DEFAULT_QUEUE_PREFIX, '65a000000000000000000001'),
      locks.key('65a000000000000000000002'),
    ];
    expect(keys.length).toBeGreaterThan(QUEUE_NAMES.length * 20);
    const slots = new Set(keys.map(keySlot));
    expect([...slots]).toEqual([keySlot('seedline')]);
  });

  it('would spread the same keys over many slots without the hash tag (the check can fail)', () => {
    const slots = new Set(QUEUE_NAMES.flatMap((q) => bullKeys('seedline', q)).map(keySlot));
    expect(slots.size).toBeGreaterThan(10);
  });
});

describe('Redis Cluster key slots of a real queue run, cross-checked with CLUSTER KEYSLOT', () => {
  const prefix = `{${uniqueName('slots')}}`;
  let dir: string;
  let clusterNode: ChildProcess;
  let cluster: Redis;
  let redis: Redis;
  beforeAll(async () => {
    // A cluster-enabled redis-server answers CLUSTER KEYSLOT even before it owns any slot.
    const port = await freePort();
    dir = mkdtempSync(join(tmpdir(), 'slots-'));
    clusterNode = spawn(
      'redis-server',
      [
        '--port',
        String(port),
        '--bind',
        '127.0.0.1',
        '--cluster-enabled',
        'yes',
        '--dir',
        dir,
        '--save',
        '',
        '--appendonly',
        'no',
      ],
      { stdio: 'ignore' },
    );
    cluster = new Redis(port, '127.0.0.1', { maxRetriesPerRequest: 1, retryStrategy: () => 100 });
    cluster.on('error', () => undefined); // refused until the server listens; ioredis retries
    await pollUntil(() => cluster.status === 'ready', { what: 'cluster-enabled redis' });
    redis = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
  });
  afterAll(async () => {
    redis?.disconnect();
    cluster?.disconnect();
    clusterNode?.kill('SIGTERM');
    if (dir) rmSync(dir, { recursive: true, force: true });
    await deleteKeys(prefix);
  });

  it('finds every key the queues created in the prefix’s one slot', async () => {
    const connection = redis.duplicate();
    const queues = QUEUE_NAMES.map((name) => new Queue(name, { connection, prefix }));
    const worker = new Worker(
      'clicks',
      (job) => (job.data.fail ? Promise.reject(new Error('planned failure')) : Promise.resolve('ok')),
      { connection: redis.duplicate(), prefix },
    );
    try {
      for (const q of queues) {
        await q.add('a', { n: 1 });
        await q.add('b', { n: 2 }, { delay: 60_000 });
        await q.add('c', { n: 3 }, { priority: 5, deduplication: { id: `d-${q.name}` } });
      }
      await queues[1]!.add('fails', { fail: true }, { attempts: 1 });
      await queues[0]!.upsertJobScheduler('every-minute', { every: 60_000 }, { name: 'tick', data: {} });
      await pollUntil(async () => (await queues[1]!.getFailedCount()) === 1, { what: 'a failed job' });

      const keys: string[] = [];
      let cursor = '0';
      do {
        const [next, batch] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
        cursor = next;
        keys.push(...batch);
      } while (cursor !== '0');
      expect(keys.length).toBeGreaterThan(QUEUE_NAMES.length * 5);

      const ours = new Set(keys.map(keySlot));
      const theirs = new Set(
        await Promise.all(keys.map((k) => cluster.call('CLUSTER', 'KEYSLOT', k) as Promise<number>)),
      );
      expect([...ours]).toHaveLength(1);
      expect([...theirs]).toEqual([...ours]);
    } finally {
      await worker.close();
      await Promise.all(queues.map((q) => q.close()));
      connection.disconnect();
    }
  });
});
