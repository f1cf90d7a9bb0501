import { describe, expect, it } from 'vitest';
import { EndpointSlots, LOCAL_WAIT_MS, UNANSWERED_MS } from './endpoint-slots.js';

describe('EndpointSlots', () => {
  it("lets an attempt wait for a slot of its endpoint that an answering attempt frees, others' slots apart", async () => {
    const slots = new EndpointSlots(1);
    const first = await slots.take('ep_a');
    expect(first.unsent).toBeUndefined();
    // Full, and no answer seen yet: a job is parked until the holder has waited UNANSWERED_MS (and jitter).
    expect(slots.parkFor('ep_a', 1)).toBeGreaterThan(UNANSWERED_MS - 100);
    expect(slots.parkFor('ep_a', 1)).toBeLessThanOrEqual(UNANSWERED_MS + 1000);
    // Another endpoint is not held up by ep_a's slot.
    const other = await slots.take('ep_b');
    expect(other.unsent).toBeUndefined();
    let second: Awaited<ReturnType<EndpointSlots['take']>> | undefined;
    const waiting = slots.take('ep_a').then((s) => (second = s));
    await Promise.resolve();
    expect(second).toBeUndefined();
    first.release?.();
    await waiting;
    expect(second?.unsent).toBeUndefined();
    second?.release?.();
    other.release?.();
    expect(slots.parkFor('ep_a', 1)).toBeNull();
  });
});

describe('EndpointSlots, a freed slot', () => {
  it('goes to the longest waiter, before an attempt that arrives after the release', async () => {
    const slots = new EndpointSlots(1);
    const first = await slots.take('ep_a');
    const order: string[] = [];
    const waiting = ['w1', 'w2'].map((name) =>
      slots.take('ep_a').then((s) => {
        order.push(name);
        return s;
      }),
    );
    await Promise.resolve();
    first.release?.();
    // Arrives after the release, before the waiter has run: the slot is already w1's.
    const late = slots.take('ep_a').then((s) => {
      order.push('late');
      return s;
    });
    const w1 = await waiting[0];
    expect(order).toEqual(['w1']);
    // Released twice, the slot frees nothing the second time: w2 still waits.
    first.release?.();
    await Promise.resolve();
    expect(order).toEqual(['w1']);
    w1?.release?.();
    const w2 = await waiting[1];
    expect(order).toEqual(['w1', 'w2']);
    w2?.release?.();
    (await late).release?.();
    expect(order).toEqual(['w1', 'w2', 'late']);
    expect(slots.parkFor('ep_a', 1)).toBeNull();
  });
});

describe('EndpointSlots, a job that finds every slot taken', () => {
  it("waits here while its endpoint's recent answers would give it slots within LOCAL_WAIT_MS, else is parked for about that long", async () => {
    let now = 0;
    const slots = new EndpointSlots(2, () => now);
    const a = await slots.take('ep_a');
    now = 10;
    a.release?.(); // answered in 10 ms
    await slots.take('ep_a');
    await slots.take('ep_a');
    // 2 slots, 10 ms an answer: 200 attempts are through in 1 s, 201 are not.
    expect(slots.parkFor('ep_a', (2 * LOCAL_WAIT_MS) / 10)).toBeNull();
    const parked = slots.parkFor('ep_a', 1000);
    expect(parked).toBeGreaterThanOrEqual(5000);
    expect(parked).toBeLessThanOrEqual(6000);
    // Holders with no answer for UNANSWERED_MS: nothing waits, the attempts go unsent at once.
    now = 10 + UNANSWERED_MS;
    expect(slots.parkFor('ep_a', 1000)).toBeNull();
  });

  it('is parked only until the holders count as unanswered when the endpoint answers slowly (a hanging one)', async () => {
    let now = 0;
    const slots = new EndpointSlots(1, () => now);
    const a = await slots.take('ep_a');
    now = 15_000;
    a.release?.(); // a 15 s timeout
    await slots.take('ep_a');
    now = 15_500;
    const parked = slots.parkFor('ep_a', 1);
    expect(parked).toBeGreaterThanOrEqual(UNANSWERED_MS - 500);
    expect(parked).toBeLessThanOrEqual(UNANSWERED_MS - 500 + 1000);
  });

  it('goes unsent at once, neither parked nor waiting, when its endpoint timed out lately (it hangs)', async () => {
    let now = 0;
    const slots = new EndpointSlots(1, () => now, 15_000);
    const a = await slots.take('ep_a');
    now = 15_000;
    a.release?.(); // ran into the 15 s timeout
    await slots.take('ep_a');
    now = 15_100;
    expect(slots.parkFor('ep_a', 50)).toBeNull();
    expect((await slots.take('ep_a')).unsent).toMatch(/^not sent: .* its latest ones timed out$/);
    // A slow endpoint that answers well within the timeout still gets parked while its holders are young.
    const slow = await slots.take('ep_b');
    now = 18_100;
    slow.release?.(); // 3 s
    await slots.take('ep_b');
    expect(slots.parkFor('ep_b', 1)).toBeGreaterThanOrEqual(UNANSWERED_MS - 1);
  });
});
