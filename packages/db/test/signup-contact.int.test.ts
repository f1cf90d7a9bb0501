import mongoose from 'mongoose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SignupJob } from '@seedline/domain';
import { dropDatabase, mongoUrlFor, uniqueName } from '@seedline/testkit';
import { connectMongo, createRepositories, ensureIndexes, type Repositories } from '../src/index.js';

/**
 * Re-sign-ups that change the email or time zone: the last *accepted* one wins, whatever order their jobs
 * run in, alone or batched together, and a redelivery of an older one changes nothing.
 */
describe('sign-up contact details (real database)', () => {
  const url = mongoUrlFor(uniqueName('contact'));
  let conn: mongoose.Connection;
  let repos: Repositories;
  const campaignId = '65e000000000000000000001';
  const id = (i: number) => (0x65e1000000000000000000n + BigInt(i)).toString(16).padStart(24, '0');
  const base = Date.UTC(2026, 11, 2, 12, 0);
  // Accepted n milliseconds after `base`, in the order ingest hands out (microseconds).
  const signup = (i: number, n: number, extra: Partial<SignupJob>): SignupJob => ({
    eventId: `s${i}-${n}`,
    campaignId,
    influencerId: id(i),
    instagramHandle: `c.${i}`,
    at: new Date(base + n).toISOString(),
    accepted: (base + n) * 1000,
    ...extra,
  });
  const contact = async (i: number) => {
    const doc = await repos.influencers.findById(id(i));
    return { email: doc?.email, timezone: doc?.timezone };
  };

  beforeAll(async () => {
    conn = await connectMongo(url);
    repos = createRepositories(conn);
    await ensureIndexes(repos);
  });
  afterAll(async () => {
    await conn?.close();
    await dropDatabase(url);
  });

  it('keeps the last accepted email and time zone when the older sign-up is applied last', async () => {
    const first = signup(1, 0, { email: 'old@example.com', timezone: 'Europe/Paris' });
    const second = signup(1, 5, { email: 'new@example.com', timezone: 'America/New_York' });
    await repos.influencers.applySignup(second);
    await repos.influencers.applySignup(first);
    expect(await contact(1)).toEqual({ email: 'new@example.com', timezone: 'America/New_York' });
    // In arrival order too, and a redelivery of either changes nothing.
    await repos.influencers.applySignup(signup(2, 0, { email: 'old@example.com' }));
    await repos.influencers.applySignup(signup(2, 5, { email: 'new@example.com' }));
    await repos.influencers.applySignup(signup(2, 0, { email: 'old@example.com' }));
    expect((await contact(2)).email).toBe('new@example.com');
  });

  it('orders each field on its own: a later sign-up without an email keeps the earlier email', async () => {
    await repos.influencers.applySignup(signup(3, 9, { timezone: 'Asia/Tokyo' }));
    await repos.influencers.applySignup(signup(3, 1, { email: 'only@example.com', timezone: 'UTC' }));
    expect(await contact(3)).toEqual({ email: 'only@example.com', timezone: 'Asia/Tokyo' });
  });

  it('picks the last accepted within one batch and against what is stored, in any order', async () => {
    await repos.influencers.applySignup(signup(4, 7, { email: 'stored-later@example.com' }));
    await repos.influencers.applySignups([
      signup(4, 3, { email: 'batch-a@example.com' }),
      signup(5, 8, { email: 'five-late@example.com' }),
      signup(4, 9, { email: 'batch-b@example.com', timezone: 'Europe/Berlin' }),
      signup(5, 2, { email: 'five-early@example.com' }),
      signup(4, 8, { timezone: 'Europe/Rome' }),
    ]);
    expect(await contact(4)).toEqual({ email: 'batch-b@example.com', timezone: 'Europe/Berlin' });
    expect(await contact(5)).toEqual({ email: 'five-late@example.com', timezone: null });
    // Jobs enqueued before the order was carried are ordered by their acceptance time.
    const { accepted: _dropped, ...legacy } = signup(5, 20, { email: 'legacy@example.com' });
    await repos.influencers.applySignup(legacy);
    expect((await contact(5)).email).toBe('legacy@example.com');
  });
});
