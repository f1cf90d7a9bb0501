import mongoose from 'mongoose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GraphStandin, pollUntil, request, submitToken, TEST_SECRETS, type Stack } from '@seedline/testkit';
import {
  connectedCampaign,
  detailUntil,
  instagramStack,
  issuedTokens,
  submit,
  VERIFY_TOKEN,
} from './support/instagram.js';

/** Posts found on Instagram without a submission (mentions webhook), re-checks, and token renewal. */
describe('Instagram mentions, re-checks and tokens', { timeout: 240_000 }, () => {
  let stack: Stack;
  let standin: GraphStandin;
  let c: Awaited<ReturnType<typeof connectedCampaign>>;
  let db: mongoose.Connection;

  beforeAll(async () => {
    ({ stack, standin } = await instagramStack('igfound', { IG_TOKEN_RENEW_BEFORE_SECONDS: '30' }));
    c = await connectedCampaign(stack, standin);
    db = await mongoose.createConnection(stack.env.MONGO_URL as string).asPromise();
  });
  afterAll(async () => {
    await db?.close();
    await stack?.stop();
    await standin?.stop();
  });

  it("answers Meta's handshake only with the verify token", async () => {
    const url = `${stack.apiUrl}/v1/instagram/webhook?hub.mode=subscribe&hub.challenge=1158201444`;
    const ok = await request(`${url}&hub.verify_token=${VERIFY_TOKEN}`);
    expect(ok.status).toBe(200);
    expect(String(ok.body)).toBe('1158201444');
    expect((await request(`${url}&hub.verify_token=wrong-token-123`)).status).toBe(403);
  });

  it('a mention with a bad signature → 401 and nothing stored or queued', async () => {
    const hana = await c.signup('hana');
    await pollUntil(async () => (await c.influencer(hana.influencerId)).status === 200, { what: 'sign-up' });
    const media = standin.state.addMedia({ username: 'hana', caption: '#ad @acme', mentions: [c.igUserId] });
    const status = await standin.sendMention(c.igUserId, media.id, { secret: 'not-the-app-secret' });
    expect(status).toBe(401);
    // Anyone can post forgeries: they are logged once per 10 s, not once each.
    for (let i = 0; i < 5; i++)
      expect(await standin.sendMention(c.igUserId, media.id, { secret: 'not-the-app-secret' })).toBe(401);
    expect(stack.apps.api?.logs().split('bad signature').length).toBe(2);
    expect(await db.collection('instagram_mentions').countDocuments({})).toBe(0);
    expect(standin.calls.some((x) => x.fields?.startsWith('mentioned_media'))).toBe(false);
    expect((await c.influencer(hana.influencerId)).body.status).toBe('signed_up');
  });

  it('a signed mention of a signed-up influencer who never used the form → done with source instagram', async () => {
    const hana = (await c.signup('hana')).influencerId;
    const media = [...standin.state.media.values()].find((m) => m.username === 'hana');
    expect(await standin.sendMention(c.igUserId, media!.id)).toBe(200);
    const d = await detailUntil(c, hana, (x) => x.status === 'done', 'done from the mention');
    expect(d.verification).toBe('verified');
    expect(d.submission).toMatchObject({ source: 'instagram', accepted: true });
    expect(d.submission.media).toMatchObject({ id: media!.id, foundVia: 'mentions' });
    expect(d.timeline.some((e: { source: string }) => e.source.startsWith('instagram'))).toBe(true);
  });

  it('a deleted post → removed within one re-check, the status stays done', async () => {
    const ivy = await c.signup('ivy');
    const shortcode = 'IvyPost001';
    await submit(stack, ivy.links.submit, `https://www.instagram.com/p/${shortcode}/`);
    await detailUntil(c, ivy.influencerId, (d) => d.verification === 'pending', 'pending');
    standin.state.addMedia({ username: 'ivy', caption: '#ad @acme', tags: [c.igUserId], shortcode });
    await detailUntil(c, ivy.influencerId, (d) => d.status === 'done' && d.verification === 'verified', 'verified');
    standin.state.removeMedia(shortcode);
    const d = await detailUntil(c, ivy.influencerId, (x) => x.verification === 'removed', 'removed');
    expect(d.status).toBe('done');
    expect(d.submission.removedAt).toBeTruthy();
    expect(d.timeline.map((e: { type: string }) => e.type)).toContain('post_removed');
    await pollUntil(async () => (await c.summary()).body.postsRemoved === 1, { what: 'summary shows the removal' });
  });

  it("a deleted post holds the influencer's approved, unpaid reimbursement (reason post_removed)", async () => {
    const m = await connectedCampaign(stack, standin, '17841400000000077', {
      reimbursement: { price: '20.00', currency: 'USD', approval: 'auto' },
    });
    // Paid by the brand's finance team: an approved reimbursement stays approved until they mark it paid.
    const manual = await request(`${stack.apiUrl}/v1/brands/${m.brandId}`, {
      method: 'PATCH',
      token: TEST_SECRETS.ADMIN_TOKEN,
      json: { payoutProvider: 'manual' },
    });
    expect(manual.status).toBe(200);
    const remy = await m.signup('remy');
    const shortcode = 'RemyPost01';
    standin.state.addMedia({ username: 'remy', caption: '#ad @acme', tags: [m.igUserId], shortcode });
    const sent = await request(`${stack.ingestUrl}/v1/submissions`, {
      method: 'POST',
      json: {
        token: submitToken(remy.links.submit),
        postUrl: `https://www.instagram.com/p/${shortcode}/`,
        orderId: '114-7654321-7654321',
        amountPaid: '19.50',
        payoutEmail: 'remy@example.com',
      },
    });
    expect(sent.status).toBe(202);
    const approved = await detailUntil(m, remy.influencerId, (d) => d.reimbursement?.state === 'approved', 'approved');
    expect(approved.verification).toBe('verified');
    standin.state.removeMedia(shortcode);
    const held = await detailUntil(m, remy.influencerId, (d) => d.reimbursement?.state === 'held', 'held');
    expect(held.reimbursement).toMatchObject({ state: 'held', reason: 'post_removed' });
    expect(held.verification).toBe('removed');
    // Released from the budget's committed amount: nothing approved or paid remains.
    const money = (await m.summary()).body.reimbursements;
    expect(money.approved).toMatchObject({ count: 0 });
    expect(money.held).toMatchObject({ count: 1, amount: '19.50' });
  });

  it('a token about to expire shows a warning, is renewed with fb_exchange_token, and the warning goes', async () => {
    standin.refuseExchange = true;
    const shortLived = standin.state.issueToken(c.igUserId, 20);
    const put = await request(`${stack.apiUrl}/v1/instagram`, {
      method: 'PUT',
      token: c.apiKey,
      json: { igUserId: c.igUserId, accessToken: shortLived },
    });
    expect(put.status).toBe(200);
    expect(put.body.warning).toContain('expires');
    expect(new Date(put.body.tokenExpiresAt).getTime()).toBeLessThan(Date.now() + 30_000);
    standin.refuseExchange = false;
    const renewed = await pollUntil(
      async () => {
        const r = await request(`${stack.apiUrl}/v1/instagram`, { token: c.apiKey });
        return new Date(r.body.tokenExpiresAt).getTime() > Date.now() + 59 * 86_400_000 ? r.body : undefined;
      },
      { timeoutMs: 30_000, what: 'the token renewed' },
    );
    expect(renewed.warning).toBeUndefined();
    expect(JSON.stringify(renewed)).not.toContain(shortLived);
  });

  it('never logs a token', () => {
    const logs = Object.values(stack.apps).map((a) => a?.logs() ?? '');
    for (const t of issuedTokens(standin)) for (const text of logs) expect(text.includes(t)).toBe(false);
  });
});
