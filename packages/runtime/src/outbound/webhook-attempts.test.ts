import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JOB_CATALOGUE, WEBHOOK_ATTEMPTS_PER_JOB } from '@seedline/domain';
import { deleteKeys, REDIS_URL, uniqueName } from '@seedline/testkit';
import { closeQueues, createQueues, type Queues } from '../queues.js';
import { queueAttempt } from './webhook-attempts.js';

const a = 'aaaa1111';
const b = 'bbbb2222';

describe('queueAttempt (real Redis)', () => {
  const prefix = uniqueName('whd');
  let redis: Redis;
  let queues: Queues;
  beforeAll(() => {
    redis = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
    queues = createQueues(redis, prefix);
  });
  afterAll(async () => {
    await closeQueues(queues);
    await redis.quit();
    await deleteKeys(prefix);
  });

  const jobs = async () =>
    (await queues['webhook-deliveries'].getJobs(['waiting', 'delayed'])).map((j) =>
      JOB_CATALOGUE['webhook-deliveries'].schema.parse(j.data),
    );

  it("queues the endpoints' attempts in one job, and nothing more when repeated", async () => {
    const ids = [`${a}-msg_1`, `${b}-msg_1`, `${a}-msg_2`, `${a}-msg_3`, `${b}-msg_2`];
    await queueAttempt(queues, ids, 0, 0);
    await queueAttempt(queues, [...ids].reverse(), 0, 0);
    const queued = await jobs();
    expect(queued).toHaveLength(1);
    expect(queued[0]?.attempts.map((x) => x.deliveryId)).toEqual([
      `${a}-msg_1`,
      `${a}-msg_2`,
      `${a}-msg_3`,
      `${b}-msg_1`,
      `${b}-msg_2`,
    ]);
    expect(queued.flatMap((j) => j.attempts).every((x) => x.round === 0 && x.step === 0)).toBe(true);
    await queues['webhook-deliveries'].obliterate({ force: true });
  });

  it(`splits attempts beyond ${WEBHOOK_ATTEMPTS_PER_JOB} a job, and reads a job of the older shape`, async () => {
    const ids = Array.from({ length: WEBHOOK_ATTEMPTS_PER_JOB + 3 }, (_, i) => `${a}-msg_${i}`);
    await queueAttempt(queues, ids, 2, 1, 60_000);
    const sizes = (await jobs()).map((j) => j.attempts.length).sort((x, y) => x - y);
    expect(sizes).toEqual([3, WEBHOOK_ATTEMPTS_PER_JOB]);
    const older = JOB_CATALOGUE['webhook-deliveries'].schema.parse({ deliveryId: `${a}-msg_9`, round: 1, step: 3 });
    expect(older).toEqual({ attempts: [{ deliveryId: `${a}-msg_9`, round: 1, step: 3 }] });
  });
});
