import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  signLegacyLinkToken,
  signLegacyUnsubscribeToken,
  signUnsubscribeToken,
  verifyLinkToken,
} from '@seedline/domain';
import { createStack, seedCampaign, type Stack } from '@seedline/testkit';
import { click, tokenOf } from './support/ingest-helpers.js';

const OLD = 'rotation-old-secret-0123456789-abcdefgh';
const NEW = 'rotation-new-secret-0123456789-ijklmnop';

/** LINK_SECRET rotates through LINK_SECRETS (newest first) without breaking links already sent. */
describe('link secret rotation', () => {
  let stack: Stack;
  let c: Awaited<ReturnType<typeof seedCampaign>>;

  beforeAll(async () => {
    stack = await createStack('link-rotation', { LINK_SECRET: OLD }, ['api', 'ingest']);
    c = await seedCampaign(stack);
  });
  afterAll(async () => {
    await stack?.stop();
  });

  const restartIngest = async (env: Record<string, string>) => {
    await stack.apps.ingest?.stop();
    delete stack.env.LINK_SECRET;
    delete stack.env.LINK_SECRETS;
    Object.assign(stack.env, env);
    await stack.start('ingest');
  };

  it('keeps old links (with and without key ids) working while the old secret is listed, signs new ones with the newest', async () => {
    const before = await c.signup('rotation.before');
    const legacy = signLegacyLinkToken(
      { kind: 'purchase', campaignId: c.campaignId, influencerId: before.influencerId },
      OLD,
    );
    const claims = { campaignId: c.campaignId, influencerId: before.influencerId };
    const unsubscribe = [signUnsubscribeToken(claims, OLD), signLegacyUnsubscribeToken(claims, OLD)];

    await restartIngest({ LINK_SECRETS: `${NEW},${OLD}` });
    for (const link of [before.links.purchase, before.links.review, `${stack.ingestUrl}/l/${legacy}`]) {
      expect((await click(link)).status, link).toBe(302);
    }
    expect((await fetch(before.links.submit)).status).toBe(200);
    for (const t of unsubscribe) expect((await fetch(`${stack.ingestUrl}/u/${t}`)).status).toBe(200);

    const after = await c.signup('rotation.after');
    expect(verifyLinkToken(tokenOf(after.links.purchase), NEW)?.kind).toBe('purchase');
    expect(verifyLinkToken(tokenOf(after.links.purchase), OLD)).toBeNull();
    expect((await click(after.links.purchase)).status).toBe(302);

    // The old secret retired: its links stop working, the new ones keep working.
    await restartIngest({ LINK_SECRETS: NEW });
    expect((await click(before.links.purchase)).status).toBe(404);
    expect((await click(`${stack.ingestUrl}/l/${legacy}`)).status).toBe(404);
    expect((await click(after.links.purchase)).status).toBe(302);
    // LINK_SECRET alone still works as a list of one.
    await restartIngest({ LINK_SECRET: NEW });
    expect((await click(after.links.purchase)).status).toBe(302);
  }, 240_000); // three ingest restarts
});
