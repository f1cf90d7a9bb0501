import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GraphStandin, pollUntil, request, seedCampaign, type Stack } from '@seedline/testkit';
import {
  connectedCampaign,
  detailUntil,
  instagramStack,
  issuedTokens,
  submit,
  type Seeded,
} from './support/instagram.js';

/**
 * Submissions verified on Instagram through the Graph API stand-in: the post is looked for among the media the
 * brand is tagged in, its mentions and the influencer's own media, and Instagram's owner and caption decide.
 */
describe('Instagram verification of submissions', { timeout: 240_000 }, () => {
  let stack: Stack;
  let standin: GraphStandin;
  let c: Awaited<ReturnType<typeof connectedCampaign>>;
  const answers: string[] = [];

  beforeAll(async () => {
    ({ stack, standin } = await instagramStack('igverify'));
    c = await connectedCampaign(stack, standin);
  });
  afterAll(async () => {
    await stack?.stop();
    await standin?.stop();
  });

  async function influencer(handle: string, camp: Seeded = c) {
    const s = await camp.signup(handle);
    await pollUntil(async () => (await camp.influencer(s.influencerId)).status === 200, { what: 'sign-up' });
    return s;
  }
  const remember = (body: unknown) => {
    answers.push(JSON.stringify(body));
    return body;
  };

  it('connects an account: the token is checked with debug_token and never shown', async () => {
    const bad = await request(`${stack.apiUrl}/v1/instagram`, {
      method: 'PUT',
      token: c.apiKey,
      json: { igUserId: c.igUserId, accessToken: 'EAAGnot-a-token-anyone-issued' },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details[0].path).toBe('body.accessToken');
    const got = await request(`${stack.apiUrl}/v1/instagram`, { token: c.apiKey });
    expect(got.status).toBe(200);
    expect(got.body.igUserId).toBe(c.igUserId);
    expect(new Date(got.body.tokenExpiresAt).getTime()).toBeGreaterThan(Date.now() + 59 * 86_400_000);
    expect(got.body.warning).toBeUndefined();
    remember(got.body);
    expect(JSON.stringify(got.body)).not.toContain(c.accessToken);
  });

  it('a real post with the right caption → pending, then verified and done', async () => {
    const ava = await influencer('ava');
    // Submitted first, published a moment later: a tagged-media read in between must not find it before the form.
    const shortcode = 'AvaPost001';
    await submit(stack, ava.links.submit, `https://www.instagram.com/p/${shortcode}/`, 'typed #ad @acme');
    await detailUntil(c, ava.influencerId, (d) => d.verification === 'pending', 'pending');
    const media = standin.state.addMedia({
      username: 'ava',
      caption: 'Love it #ad @acme',
      tags: [c.igUserId],
      shortcode,
    });
    const done = await detailUntil(
      c,
      ava.influencerId,
      (d) => d.verification === 'verified' && d.status === 'done',
      'verified',
    );
    remember(done);
    expect(done.status).toBe('done');
    expect(done.submission).toMatchObject({ accepted: true, verification: 'verified', source: 'form' });
    expect(done.submission.media).toMatchObject({ id: media.id, username: 'ava' });
    // Tagged media are read first; a look-up running while the post was published finds it one step later.
    expect(['tags', 'business_discovery']).toContain(done.submission.media.foundVia);
    expect(done.timeline.map((e: { type: string }) => e.type)).toEqual(
      expect.arrayContaining(['submission_pending', 'submission_accepted']),
    );
    const list = await c.list();
    expect(list.body.items.find((i: { id: string }) => i.id === ava.influencerId).verification).toBe('verified');
  });

  it("someone else's post → rejected as wrong owner, the status unchanged", async () => {
    const ben = await influencer('ben');
    const media = standin.state.addMedia({ username: 'somebody.else', caption: '#ad @acme', tags: [c.igUserId] });
    await submit(stack, ben.links.submit, media.permalink, '#ad @acme');
    const d = await detailUntil(c, ben.influencerId, (x) => x.submission?.reasons?.length > 0, 'verdict');
    expect(d.status).toBe('signed_up');
    expect(d.verification).toBeNull();
    expect(d.submission.reasons.join(' ')).toContain('wrong owner');
  });

  it("a typed caption with the hashtags but Instagram's without → rejected, naming what is missing", async () => {
    const cleo = await influencer('cleo');
    const media = standin.state.addMedia({ username: 'cleo', caption: 'my morning routine @acme', tags: [c.igUserId] });
    await submit(stack, cleo.links.submit, media.permalink, 'my morning routine #ad @acme');
    const d = await detailUntil(c, cleo.influencerId, (x) => x.submission?.reasons?.length > 0, 'verdict');
    expect(d.status).toBe('signed_up');
    expect(d.submission.reasons).toEqual(["Instagram's caption is missing the hashtag #ad"]);
  });

  it('a post that appears after the submission → pending, not found yet, then verified on a later try', async () => {
    const dev = await influencer('dev');
    const shortcode = 'DevLater123';
    await submit(stack, dev.links.submit, `https://www.instagram.com/p/${shortcode}/`, '#ad @acme');
    const waiting = await detailUntil(
      c,
      dev.influencerId,
      (x) => x.timeline.some((e: { type: string }) => e.type === 'verification_retry'),
      'a first try that found nothing',
    );
    expect(waiting.status).toBe('signed_up');
    expect(waiting.verification).toBe('pending');
    expect((await c.list()).body.items.find((i: { id: string }) => i.id === dev.influencerId).verification).toBe(
      'pending',
    );
    // Published later, found through business discovery (the brand is neither tagged nor mentioned).
    const publishedAt = Date.now();
    standin.state.addMedia({ username: 'dev', caption: 'finally #ad @acme', shortcode });
    const d = await detailUntil(
      c,
      dev.influencerId,
      (x) => x.verification === 'verified' && x.status === 'done',
      'verified on a later try',
    );
    expect(d.status).toBe('done');
    expect(d.submission.media.foundVia).toBe('business_discovery');
    // Done when verified, not back-dated to the submission: after every "not found yet" try.
    expect(Date.parse(d.doneAt)).toBeGreaterThanOrEqual(publishedAt);
    const tried = d.timeline.filter((e: { type: string }) => e.type === 'verification_retry');
    expect(Date.parse(d.doneAt)).toBeGreaterThan(Date.parse(tried.at(-1).at));
    expect(Date.parse(d.submission.at)).toBeLessThan(Date.parse(tried[0].at));
  });

  it('a post never found → rejected once IG_VERIFY_FOR_SECONDS have passed', async () => {
    const eli = await influencer('eli');
    await submit(stack, eli.links.submit, 'https://www.instagram.com/p/NeverThere99/', '#ad @acme');
    const d = await detailUntil(c, eli.influencerId, (x) => x.submission?.reasons?.length > 0, 'not found');
    expect(d.status).toBe('signed_up');
    expect(d.submission.reasons[0]).toContain('post not found on Instagram');
  });

  it('rate-limit errors postpone the look-up, and the verification still lands', async () => {
    const fay = await influencer('fay');
    const shortcode = 'FayPost001';
    await submit(stack, fay.links.submit, `https://www.instagram.com/p/${shortcode}/`);
    await detailUntil(c, fay.influencerId, (d) => d.verification === 'pending', 'pending');
    standin.rateLimitNext = 3;
    standin.state.addMedia({ username: 'fay', caption: '#ad @acme', tags: [c.igUserId], shortcode });
    const d = await detailUntil(
      c,
      fay.influencerId,
      (x) => x.verification === 'verified' && x.status === 'done',
      'verified after the limit',
    );
    expect(d.status).toBe('done');
    expect(standin.calls.filter((x) => x.status === 400 && x.path.endsWith('/tags')).length).toBeGreaterThan(0);
    expect(stack.apps.worker?.logs()).toContain('instagram look-up postponed');
  });

  it('without a connected account the typed caption decides and the post shows as unverified', async () => {
    const other = await seedCampaign(stack, { requirements: { hashtags: ['ad'], mentions: [] } });
    const gus = await influencer('gus', other);
    await submit(stack, gus.links.submit, 'https://www.instagram.com/p/GusPost01/', 'hello #ad');
    const d = await detailUntil(other, gus.influencerId, (x) => x.status === 'done', 'done');
    expect(d.verification).toBe('unverified');
    const csv = await request(`${stack.apiUrl}/v1/campaigns/${other.campaignId}/influencers.csv`, {
      token: other.apiKey,
    });
    expect(String(csv.body).split('\n')[0]).toContain('verification');
    expect(String(csv.body)).toContain(',unverified');
  });

  it('never shows or logs a token', () => {
    const tokens = issuedTokens(standin);
    expect(tokens.length).toBeGreaterThan(0);
    const logs = Object.values(stack.apps).map((a) => a?.logs() ?? '');
    for (const t of tokens) {
      for (const text of [...logs, ...answers]) expect(text.includes(t)).toBe(false);
    }
  });
});
