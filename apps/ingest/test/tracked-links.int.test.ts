import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signLegacyLinkToken, signLinkToken } from '@seedline/domain';
import { createStack, pollUntil, seedCampaign, TEST_SECRETS, type Stack } from '@seedline/testkit';
import { click, flip, JobCounter, tokenOf } from './support/ingest-helpers.js';

const INSTAGRAM_IN_APP_BROWSER =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 Instagram 300.0.0.17.111 (iPhone14,5; iOS 17_0; en_US; en; scale=3.00; 1170x2532; 515338000)';

const CRAWLERS = {
  facebook: 'facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)',
  instagramPreview: 'meta-externalagent/1.1 (+https://developers.facebook.com/docs/sharing/webmasters/crawler)',
  instagramFetcher: 'meta-externalfetcher/1.1 (+https://developers.facebook.com/docs/sharing/webmasters/crawler)',
  slack: 'Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)',
  whatsapp: 'WhatsApp/2.23.20.0 A',
  telegram: 'TelegramBot (like TwitterBot)',
  twitter: 'Twitterbot/1.0',
  imessage:
    'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_11_1) AppleWebKit/601.2.4 (KHTML, like Gecko) Version/9.0.1 Safari/601.2.4 facebookexternalhit/1.1 Facebot Twitterbot/1.0',
  curl: 'curl/8.5.0',
  empty: '',
};

const BASE64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
/**
 * A token made before key ids (41 bytes in 55 characters) leaves the last character 2 unused bits: set one,
 * the bytes stay the same. (Today's 45-byte tokens fill 60 characters exactly: they have no other spelling.)
 */
function nonCanonical(token: string): string {
  const last = BASE64URL.indexOf(token.at(-1) as string);
  const variant = token.slice(0, -1) + BASE64URL[last | 1];
  if (Buffer.compare(Buffer.from(variant, 'base64url'), Buffer.from(token, 'base64url')) !== 0 || variant === token) {
    throw new Error('not another spelling of the same bytes');
  }
  return variant;
}

describe('tracked links', () => {
  let stack: Stack;
  let jobs: JobCounter;
  let c: Awaited<ReturnType<typeof seedCampaign>>;
  beforeAll(async () => {
    stack = await createStack('links', { LINK_RECORD_LIMIT: '3' });
    jobs = new JobCounter(stack);
    c = await seedCampaign(stack, {
      productUrl: 'https://shop.example/product',
      reviewUrl: 'https://shop.example/review',
    });
  });
  afterAll(async () => {
    await jobs?.close();
    await stack?.stop();
  });

  const influencer = async (id: string) => (await c.influencer(id)).body;

  it('answers forged, truncated, tampered and foreign tokens with 404 and records nothing', async () => {
    const { influencerId, links } = await c.signup('token.target');
    const other = await seedCampaign(stack); // another brand's campaign
    const token = tokenOf(links.purchase);
    const raw = Buffer.from(token, 'base64url');
    const withCampaign = (campaignId: string) => {
      const forged = Buffer.from(raw);
      Buffer.from(campaignId, 'hex').copy(forged, 5); // after the kind byte and the 4-byte key id
      return forged.toString('base64url');
    };
    const forged: Record<string, string> = {
      truncatedByOne: token.slice(0, -1),
      truncatedToHalf: token.slice(0, 27),
      extended: `${token}A`,
      flippedSignature: flip(token, 50),
      flippedInfluencer: flip(token, 28),
      flippedKind: flip(token, 0),
      // Another spelling of the same bytes (the last character's unused bits): not the token that was issued.
      nonCanonical: nonCanonical(
        signLegacyLinkToken({ kind: 'purchase', campaignId: c.campaignId, influencerId }, TEST_SECRETS.LINK_SECRET),
      ),
      // The signature of this link grafted onto another campaign's id.
      graftedOntoOtherCampaign: withCampaign(other.campaignId),
      reSignedForOtherCampaignWithAnotherSecret: signLinkToken(
        { kind: 'purchase', campaignId: other.campaignId, influencerId },
        'not-the-link-secret-0123456789',
      ),
      signedWithAnotherSecret: signLinkToken(
        { kind: 'purchase', campaignId: c.campaignId, influencerId },
        'another-secret-0123456789',
      ),
      // Correctly signed, but for a campaign that does not exist.
      unknownCampaign: signLinkToken(
        { kind: 'purchase', campaignId: 'aaaaaaaaaaaaaaaaaaaaaaaa', influencerId },
        TEST_SECRETS.LINK_SECRET,
      ),
      submitTokenOnLinkRoute: tokenOf(links.submit),
      // 45 bytes have no padding: a token without '-' or '_' is spelled the same in standard base64, so its
      // '+'/'/' spelling is forced by the first character that differs (or '+' when none does).
      standardBase64: encodeURIComponent(standardSpelling(raw)),
      percentEncoded: encodeURIComponent(`${token}/../${token}`),
    };
    await pollUntil(async () => (await influencer(influencerId)).status === 'signed_up', { what: 'sign-up applied' });
    const before = await jobs.counts();
    const beforeDetail = await influencer(influencerId);

    for (const [name, bad] of Object.entries(forged)) {
      const res = await click(`${stack.ingestUrl}/l/${bad}`, { ip: '192.0.2.10' });
      expect(res.status, name).toBe(404);
      expect(res.headers.get('location'), name).toBeNull();
      expect(res.headers.get('cache-control'), name).toBe('no-store');
      expect(res.headers.get('content-type'), name).toMatch(/text\/html/);
    }
    const purchaseOnFormRoute = await click(`${stack.ingestUrl}/s/${token}`, { ip: '192.0.2.10' });
    expect(purchaseOnFormRoute.status).toBe(404);

    // A click is enqueued before its redirect is answered: nothing later can appear for these requests.
    expect(await jobs.counts()).toEqual(before);

    // The real link still works; once its click is applied, it is the only one the influencer has.
    const real = await click(links.purchase, { ip: '192.0.2.10' });
    expect(real.status).toBe(302);
    const after = await pollUntil(
      async () => {
        const d = await influencer(influencerId);
        // Counters are written before the status is derived from them: wait for both.
        return d.purchaseClicks === 1 && d.status === 'purchased' ? d : undefined;
      },
      { what: 'the genuine click' },
    );
    expect(after).toMatchObject({ purchaseClicks: 1, reviewClicks: 0, botClicks: 0, status: 'purchased' });
    const clickTypes = after.timeline.map((e: { type: string }) => e.type).filter((t: string) => t.endsWith('_click'));
    expect(clickTypes).toEqual(['purchase_click']);
    expect(beforeDetail.botClicks).toBe(0);
    const otherList = await other.list();
    expect(otherList.body.items).toEqual([]);
  });

  it('redirects crawlers and HEAD requests but counts them as bots that never move a status', async () => {
    const { influencerId, links } = await c.signup('crawled');
    let requests = 0;
    for (const [name, ua] of Object.entries(CRAWLERS)) {
      // Each crawler from its own address, so the per-address recording limit plays no part here.
      const ip = `198.51.100.${++requests}`;
      for (const link of [links.purchase, links.review]) {
        const res = await click(link, { ua, ip });
        expect(res.status, name).toBe(302);
        expect(res.headers.get('location'), name).toBe(
          link === links.purchase ? 'https://shop.example/product' : 'https://shop.example/review',
        );
      }
    }
    const head = await click(links.purchase, { method: 'HEAD', ip: '198.51.100.99' });
    expect(head.status).toBe(302);
    expect(head.headers.get('location')).toBe('https://shop.example/product');
    const headReview = await click(links.review, { method: 'HEAD', ip: '198.51.100.99' });
    expect(headReview.status).toBe(302);
    const bots = Object.keys(CRAWLERS).length * 2 + 2;

    const seen = await pollUntil(
      async () => {
        const d = await influencer(influencerId);
        if (d.botClicks !== bots)
          throw new Error(`botClicks ${d.botClicks} purchase ${d.purchaseClicks} review ${d.reviewClicks}`);
        return d;
      },
      { what: `${bots} bot clicks` },
    );
    expect(seen).toMatchObject({ status: 'signed_up', purchaseClicks: 0, reviewClicks: 0, purchasedAt: null });
    expect(seen.timeline.filter((e: { type: string }) => e.type === 'bot_click')).toHaveLength(bots);

    // A person in Instagram's in-app browser is not a crawler: that click moves the status.
    expect((await click(links.purchase, { ua: INSTAGRAM_IN_APP_BROWSER, ip: '198.51.100.200' })).status).toBe(302);
    const human = await pollUntil(
      async () => {
        const d = await influencer(influencerId);
        return d.status === 'purchased' ? d : undefined;
      },
      { what: 'the human click' },
    );
    expect(human).toMatchObject({ purchaseClicks: 1, botClicks: bots });
    expect((await c.summary()).body.estimatedPurchases).toBeGreaterThanOrEqual(1);
  });

  it('answers a link the same however its path is spelled, on the hot path or through Express', async () => {
    const { influencerId, links } = await c.signup('spelled');
    const token = tokenOf(links.purchase);
    // The first two are served ahead of Express; the others (a trailing slash, /L/) through its /l/:token route.
    const spellings = [`/l/${token}`, `/l/${token}?utm_source=ig`, `/l/${token}/`, `/L/${token}`];
    const answers = [];
    for (const [i, path] of spellings.entries()) {
      const res = await click(`${stack.ingestUrl}${path}`, { ip: `192.0.2.${60 + i}` });
      const headers = Object.fromEntries([...res.headers].filter(([k]) => !['date', 'x-request-id'].includes(k)));
      answers.push({ status: res.status, headers });
    }
    expect(answers[0]).toMatchObject({
      status: 302,
      headers: { location: 'https://shop.example/product', 'cache-control': 'no-store' },
    });
    for (const answer of answers) expect(answer).toEqual(answers[0]);
    await pollUntil(async () => (await influencer(influencerId)).purchaseClicks === spellings.length, {
      what: 'every spelling counted',
    });
  });

  it('never refuses a tracked link: past the per-address limit clicks are kept, flagged, and move nothing', async () => {
    const first = await c.signup('limit.first');
    const second = await c.signup('limit.second');
    const ip = '203.0.113.50';
    // LINK_RECORD_LIMIT is 3 a minute for this stack.
    for (let i = 0; i < 3; i++) expect((await click(first.links.purchase, { ip })).status).toBe(302);
    for (let i = 0; i < 5; i++) {
      const res = await click(second.links.purchase, { ip });
      expect(res.status).toBe(302);
      expect(res.headers.get('location')).toBe('https://shop.example/product');
    }
    const flagged = await pollUntil(
      async () => {
        const d = await influencer(second.influencerId);
        return d.botClicks === 5 ? d : undefined;
      },
      { what: 'flagged clicks' },
    );
    expect(flagged).toMatchObject({ status: 'signed_up', purchaseClicks: 0 });
    expect(flagged.timeline.find((e: { type: string }) => e.type === 'bot_click').detail).toMatch(/rate-limited/);
    await pollUntil(async () => (await influencer(first.influencerId)).purchaseClicks === 3, {
      what: 'the clicks within the limit',
    });
    // Another address is not affected by the first one's limit.
    expect((await click(second.links.purchase, { ip: '203.0.113.51' })).status).toBe(302);
    await pollUntil(async () => (await influencer(second.influencerId)).status === 'purchased', {
      what: 'a click from another address',
    });
  });
});

/** The standard-base64 spelling of a token's bytes, made to differ from its base64url spelling. */
function standardSpelling(raw: Buffer): string {
  const standard = raw.toString('base64');
  return standard === raw.toString('base64url') ? `+${standard.slice(1)}` : standard;
}
