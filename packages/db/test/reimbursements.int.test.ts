import mongoose from 'mongoose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseDataKey, sealText, type ReimbursementSettings } from '@seedline/domain';
import { dropDatabase, mongoUrlFor, uniqueName } from '@seedline/testkit';
import { connectMongo, createRepositories, ensureIndexes, type Repositories } from '../src/index.js';

/**
 * The reimbursement ledger against the real database: moves with their entries, the budget under
 * concurrent approvals, duplicate order numbers, and the recount.
 */
describe('reimbursement ledger (real database)', () => {
  const url = mongoUrlFor(uniqueName('reimbursements'));
  const key = parseDataKey('11'.repeat(32))!;
  let conn: mongoose.Connection;
  let repos: Repositories;
  let n = 0;
  const hex = (i: number) => (0x66d1000000000000000000n + BigInt(i)).toString(16).padStart(24, '0');
  const settings = (o: Partial<ReimbursementSettings> = {}): ReimbursementSettings => ({
    price: 2000,
    shipping: 500,
    taxRatePpm: 82500,
    bonus: 100,
    currency: 'USD',
    approval: 'auto',
    budget: null,
    requireOrderMatch: false,
    ...o,
  });
  const campaign = async (o: Partial<ReimbursementSettings> = {}) => {
    const s = settings(o);
    return repos.campaigns.create('brand0000000000000000001', {
      name: 'c',
      productUrl: 'https://www.amazon.com/dp/B000000001',
      reviewUrl: 'https://www.amazon.com/review/B000000001',
      reimbursement: s,
    });
  };
  /** A `done` influencer with a proof, through the worker's path. */
  const dueInfluencer = async (
    campaignId: string,
    paid: number,
    orderId = `111-${String(++n).padStart(7, '0')}-1234567`,
  ) => {
    const id = hex(++n);
    await repos.influencers.applySignups([
      { eventId: `su-${id}`, campaignId, influencerId: id, instagramHandle: `h${n}`, at: new Date().toISOString() },
    ]);
    const proof = { orderId, amountPaid: paid, currency: 'USD', payoutEmail: sealText(`p${n}@example.com`, key) };
    const job = {
      eventId: `sub-${id}`,
      campaignId,
      influencerId: id,
      postUrl: 'https://www.instagram.com/p/abc/',
      at: new Date().toISOString(),
    };
    await repos.influencers.applySubmission(
      job,
      { accepted: true, reasons: [], missingHashtags: [], missingMentions: [] },
      job.postUrl,
    );
    return { id, entries: await repos.dueReimbursements.applyProof(job, proof) };
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

  it('approves a due reimbursement automatically with the exact amount, one entry per move', async () => {
    const c = await campaign();
    // tax = 2500 × 0.0825 = 206.25 → 206; cap 2706; paid 3000 → 2706 + 100 bonus
    const { id, entries } = await dueInfluencer(c._id, 3000);
    expect(entries.map((e) => e.to)).toEqual(['approved']);
    const doc = await repos.reimbursements.findById(id);
    expect(doc).toMatchObject({ state: 'approved', amount: 2806, rev: 2 });
    const ledger = await repos.reimbursements.entries(id);
    expect(ledger.map((e) => [e.from, e.to, e.committedDelta])).toEqual([
      ['awaiting_proof', 'awaiting_proof', 0],
      ['awaiting_proof', 'approved', 2806],
    ]);
    const timeline = await repos.events.timeline(id);
    expect(timeline.filter((e) => e.type === 'reimbursement').map((e) => e.detail)).toContain(
      'reimbursement awaiting_proof → approved (28.06 USD)',
    );
    expect(await repos.recountLedger(c._id, { repair: false })).toMatchObject({ ok: true });
  });

  it('holds the later claim of an order number, anywhere on the platform', async () => {
    const [a, b] = [await campaign(), await campaign({ approval: 'review' })];
    const first = await dueInfluencer(a._id, 1000, '222-0000001-0000001');
    const second = await dueInfluencer(b._id, 1000, '222-0000001-0000001');
    expect((await repos.reimbursements.findById(first.id))?.state).toBe('approved');
    expect(await repos.reimbursements.findById(second.id)).toMatchObject({ state: 'held', reason: 'duplicate_order' });
  });

  it('never lets concurrent approvals take the commitment past the budget', async () => {
    const c = await campaign({ approval: 'review', budget: 20 * 2806, taxRatePpm: 82500 });
    const ids: string[] = [];
    for (let i = 0; i < 30; i++) ids.push((await dueInfluencer(c._id, 3000)).id);
    const outcomes = await Promise.all(ids.map((id) => repos.reimbursementActions.approve(c._id, id, 'brand:test')));
    expect(outcomes.filter((o) => o.ok)).toHaveLength(20);
    expect(outcomes.filter((o) => !o.ok && o.code === 'over_budget')).toHaveLength(10);
    expect(await repos.reimbursements.budget.left(c._id)).toBe(0);
    // Idempotent: approving again changes nothing and writes no entry.
    const again = await repos.reimbursementActions.approve(
      c._id,
      ids.find((_, i) => outcomes[i]?.ok)!,
      'brand:test',
    );
    expect(again).toMatchObject({ ok: true, entry: null });
    expect(await repos.recountLedger(c._id, { repair: false })).toMatchObject({
      ok: true,
      committed: { stored: 20 * 2806, documents: 20 * 2806, ledger: 20 * 2806 },
    });
  });

  it('releases the budget when a committed reimbursement leaves, and the recount repairs a leaked reservation', async () => {
    const c = await campaign({ approval: 'auto', budget: 5000 });
    const { id } = await dueInfluencer(c._id, 2000);
    expect(await repos.reimbursements.budget.left(c._id)).toBe(5000 - 2100);
    const rejected = await repos.reimbursementActions.reject(c._id, id, 'not our product', 'brand:test');
    expect(rejected).toMatchObject({ ok: true, doc: { state: 'rejected', reason: 'not our product' } });
    expect(await repos.reimbursements.budget.left(c._id)).toBe(5000);
    // A crash between a reservation and its compare-and-set: the commitment is too high until the recount.
    await repos.reimbursements.budget.reserve(c._id, 700);
    expect(await repos.recountLedger(c._id, { repair: true })).toMatchObject({ ok: false, repaired: true });
    expect(await repos.recountLedger(c._id, { repair: false })).toMatchObject({ ok: true });
  });

  it('pays manually once, and refuses moves the state machine does not allow', async () => {
    const c = await campaign();
    const { id } = await dueInfluencer(c._id, 1500);
    const paid = await repos.reimbursementActions.markPaid(c._id, id, 'wire 42', 'brand:test');
    expect(paid).toMatchObject({ ok: true, doc: { state: 'paid', paymentReference: 'wire 42' } });
    expect(await repos.reimbursementActions.markPaid(c._id, id, 'wire 43', 'brand:test')).toMatchObject({
      ok: true,
      entry: null,
    });
    expect(await repos.reimbursementActions.approve(c._id, id, 'brand:test')).toMatchObject({ ok: true, entry: null });
    expect(await repos.reimbursements.transition(id, { from: ['paid'], to: 'sending', source: 'test' })).toMatchObject({
      ok: false,
      code: 'conflict',
    });
    expect((await repos.reimbursements.findById(id))?.paymentReference).toBe('wire 42');
  });

  it('completes a move whose entry was not copied (a crash right after the compare-and-set)', async () => {
    const c = await campaign({ approval: 'review' });
    const { id } = await dueInfluencer(c._id, 1500);
    const doc = (await repos.reimbursements.findById(id))!;
    const entry = {
      ...doc.pendingEntry!,
      _id: `${id}-${doc.rev + 1}`,
      rev: doc.rev + 1,
      from: doc.state,
      to: 'rejected' as const,
    };
    await conn
      .collection('reimbursements')
      .updateOne({ _id: id as never }, { $set: { state: 'rejected', rev: doc.rev + 1, pendingEntry: entry } });
    expect((await repos.recountLedger(c._id, { repair: false })).ok).toBe(true);
    expect((await repos.reimbursements.entries(id)).at(-1)?.to).toBe('rejected');
  });

  it('uses the price in force at the first purchase click', async () => {
    const c = await campaign({ taxRatePpm: 0, shipping: 0, bonus: 0 });
    const id = hex(++n);
    await repos.influencers.applySignups([
      {
        eventId: `su-${id}`,
        campaignId: c._id,
        influencerId: id,
        instagramHandle: `h${n}`,
        at: new Date().toISOString(),
      },
    ]);
    await repos.influencers.applyClicks([
      {
        eventId: `cl-${id}`,
        link: 'purchase',
        campaignId: c._id,
        influencerId: id,
        at: new Date().toISOString(),
        human: true,
        source: 'link',
      },
    ]);
    await repos.campaigns.update(c.brandId, c._id, {
      reimbursement: settings({ price: 3000, taxRatePpm: 0, shipping: 0, bonus: 0 }),
    });
    const job = {
      eventId: `sub-${id}`,
      campaignId: c._id,
      influencerId: id,
      postUrl: 'https://www.instagram.com/p/abc/',
      at: new Date().toISOString(),
    };
    await repos.influencers.applySubmission(
      job,
      { accepted: true, reasons: [], missingHashtags: [], missingMentions: [] },
      job.postUrl,
    );
    await repos.dueReimbursements.applyProof(job, {
      orderId: '333-0000001-0000001',
      amountPaid: 5000,
      currency: 'USD',
      payoutEmail: sealText('x@example.com', key),
    });
    expect(await repos.reimbursements.findById(id)).toMatchObject({ amount: 2000, breakdown: { price: 2000 } });
    expect((await repos.campaigns.findById(c._id))?.priceHistory?.map((p) => p.price)).toEqual([2000, 3000]);
  });

  it('copies a move its mover left out of the ledger (killed in between), so its email is owed again', async () => {
    const c = await campaign();
    const { id } = await dueInfluencer(c._id, 3000);
    const doc = (await repos.reimbursements.findById(id))!;
    const at = new Date(Date.now() - 60_000);
    // The compare-and-set of approved → paid, as a mover killed right after it leaves it: entry held only here.
    const entry = {
      ...doc.pendingEntry!,
      _id: `${id}-${doc.rev + 1}`,
      rev: doc.rev + 1,
      at,
      from: 'approved' as const,
    };
    Object.assign(entry, { to: 'paid', notice: 'pending', committedDelta: 0 });
    await conn
      .collection('reimbursements')
      .updateOne({ _id: id as never }, { $set: { state: 'paid', rev: entry.rev, pendingEntry: entry, updatedAt: at } });
    const owed = async () => (await repos.reimbursements.pendingNotices(500)).some((e) => e._id === entry._id);
    expect(await owed()).toBe(false);
    expect(await repos.reimbursements.copyUnrecorded(3_600_000)).toBe(1);
    expect(await owed()).toBe(true);
    expect((await repos.reimbursements.entries(id)).map((e) => e.to)).toContain('paid');
    expect(await repos.reimbursements.copyUnrecorded(3_600_000)).toBe(0);
  });

  it("fills the handle of a reimbursement made before its influencer's sign-up was applied, once", async () => {
    const c = await campaign();
    const id = hex(++n);
    const job = { eventId: `sub-${id}`, campaignId: c._id, influencerId: id, at: new Date().toISOString() };
    const proof = { orderId: `333-${String(++n).padStart(7, '0')}-1234567`, amountPaid: 2000, currency: 'USD' };
    await repos.dueReimbursements.applyProof(job, { ...proof, payoutEmail: sealText('early@example.com', key) });
    expect((await repos.reimbursements.findById(id))?.instagramHandle).toBeNull();
    await repos.reimbursements.fillHandles([{ influencerId: id, instagramHandle: 'early.bird' }]);
    await repos.reimbursements.fillHandles([{ influencerId: id, instagramHandle: 'someone.else' }]);
    expect((await repos.reimbursements.findById(id))?.instagramHandle).toBe('early.bird');
  });
});
