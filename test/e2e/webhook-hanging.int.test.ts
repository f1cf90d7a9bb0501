import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BROWSER_UA, createStack, HookReceiver, pollUntil, request, seedCampaign, type Stack } from '@seedline/testkit';

interface Attempt {
  status: number | null;
  error: string | null;
}
interface Delivery {
  id: string;
  status: string;
  attempts: Attempt[];
  nextAttemptAt: string | null;
}

const SLOTS = 2;
const TIMEOUT_MS = 4000;

/**
 * A brand's endpoint that accepts connections and never answers, beside one that answers at once: real api,
 * ingest and worker processes, real receivers on loopback. The hanging endpoint holds its own slots only: the
 * other endpoint gets every event and statuses move, while its deliveries beyond the slots are not sent but
 * recorded as failed attempts with their retry scheduled (they used to be parked and re-run every 1–3 s without
 * end, a job run per event every few seconds for as long as the endpoint hung).
 */
describe('a hanging webhook endpoint', { timeout: 180_000 }, () => {
  let stack: Stack;
  const ok = new HookReceiver();
  const hang = new HookReceiver(() => 'hang');

  beforeAll(async () => {
    stack = await createStack('webhooks-hang', {
      WEBHOOK_ALLOW_PRIVATE: '1',
      WEBHOOK_DELIVERY_TIMEOUT_MS: String(TIMEOUT_MS),
      WEBHOOK_ENDPOINT_CONCURRENCY: String(SLOTS),
      WEBHOOK_RETRY_SCHEDULE: '0,5,300',
    });
  });
  afterAll(async () => {
    await ok.stop();
    await hang.stop();
    await stack?.stop();
  });

  it('holds only its own slots: the other endpoint gets everything, the rest is not sent and retried later', async () => {
    const [okUrl, hangUrl] = await Promise.all([ok.start(), hang.start()]);
    const c = await seedCampaign(stack);
    const endpoint = async (url: string) => {
      const res = await request(`${stack.apiUrl}/v1/webhook-endpoints`, {
        method: 'POST',
        token: c.apiKey,
        json: { url },
      });
      expect(res.status).toBe(201);
      return res.body.id as string;
    };
    await endpoint(`${okUrl}/ok`);
    const hangId = await endpoint(`${hangUrl}/hang`);

    const people = await Promise.all(Array.from({ length: 10 }, (_, i) => c.signup(`hang_${i}`)));
    await pollUntil(async () => (await c.list()).body.items?.length === people.length, { what: 'sign-ups listed' });
    for (const p of people)
      await fetch(p.links.purchase, { redirect: 'manual', headers: { 'User-Agent': BROWSER_UA } });
    // Status updates go on: every click is counted while the hanging endpoint holds its slots.
    await pollUntil(
      async () => (await c.list()).body.items?.every((i: { status: string }) => i.status === 'purchased'),
      { what: 'every influencer purchased' },
    );
    // 10 sign-ups and 10 status changes: all of them reach the endpoint that answers.
    const expected = people.length * 2;
    await pollUntil(() => new Set(ok.requests.map((r) => r.headers['webhook-id'])).size === expected, {
      what: `${expected} events at the answering endpoint`,
      timeoutMs: 30_000,
    });

    // The hanging endpoint never had more requests waiting on it than its slots.
    const first = hang.requests[0]?.at ?? 0;
    expect(hang.requests.filter((r) => r.at < first + TIMEOUT_MS - 500).length).toBeLessThanOrEqual(SLOTS);
    // Each of its deliveries has its first attempt recorded soon: sent and timed out, or not sent at all because
    // the slots had waited for an answer; either way pending, with the next attempt scheduled.
    const deliveries = await pollUntil(
      async () => {
        const page = await request(`${stack.apiUrl}/v1/webhook-endpoints/${hangId}/deliveries?limit=100`, {
          token: c.apiKey,
        });
        const items = (page.body.items ?? []) as Delivery[];
        return items.length === expected && items.every((d) => d.attempts.length > 0) && items;
      },
      { what: 'a first attempt recorded for every delivery to the hanging endpoint', timeoutMs: 30_000 },
    );
    const unsent = deliveries.filter((d) => /^not sent: /.test(d.attempts[0]?.error ?? ''));
    const timedOut = deliveries.filter((d) => /no answer within/.test(d.attempts[0]?.error ?? ''));
    expect(unsent.length + timedOut.length).toBe(expected);
    // Slots free up only as attempts time out: most deliveries found them taken.
    expect(unsent.length).toBeGreaterThanOrEqual(expected / 2);
    for (const d of deliveries) {
      expect(d.attempts[0]?.status).toBeNull();
      if (d.status === 'pending') expect(d.nextAttemptAt).not.toBeNull();
    }
  });
});
