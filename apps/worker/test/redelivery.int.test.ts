import { describe, expect, it } from 'vitest';
import { BROWSER_UA, pollUntil, seedCampaign } from '@seedline/testkit';
import { redeliveryStack } from './support/redelivery.js';

describe('a redelivered click job changes nothing twice', () => {
  const t = redeliveryStack('redeliver', 'clicks');

  it('leaves counts, status and timeline as they were', async () => {
    const c = await seedCampaign(t.stack);
    const { influencerId, links } = await c.signup('redelivered');
    await fetch(links.purchase, { redirect: 'manual', headers: { 'User-Agent': BROWSER_UA } });
    const before = await pollUntil(
      async () => {
        const r = await c.influencer(influencerId);
        return r.body.status === 'purchased' ? r.body : undefined;
      },
      { what: 'the click to be applied' },
    );

    const [original] = await t.queue.getCompleted();
    expect(original?.data.events).toHaveLength(1);
    // As if the first delivery's acknowledgement had been lost: the same payload under another job id
    // (the earlier id would be refused while that job is kept).
    const again = await t.queue.add('clicks', original!.data, { jobId: `redeliver-${Date.now()}` });
    await again.waitUntilFinished(t.events, 20_000);
    const twice = await t.queue.add(
      'clicks',
      { events: [...original!.data.events, ...original!.data.events] },
      { jobId: `redeliver2-${Date.now()}` },
    );
    await twice.waitUntilFinished(t.events, 20_000);

    const after = (await c.influencer(influencerId)).body;
    expect(after.purchaseClicks).toBe(1);
    expect(after.status).toBe('purchased');
    expect(after.purchasedAt).toBe(before.purchasedAt);
    expect(after.timeline).toEqual(before.timeline);
    expect((await c.summary()).body.stages).toEqual({ signed_up: 0, purchased: 1, done: 0, followed_up: 0 });
  });
});
