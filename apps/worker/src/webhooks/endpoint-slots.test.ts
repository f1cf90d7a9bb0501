import { describe, expect, it } from 'vitest';
import { EndpointSlots } from './endpoint-slots.js';

describe('EndpointSlots', () => {
  it("lets an attempt wait for a slot of its endpoint that an answering attempt frees, others' slots apart", async () => {
    const slots = new EndpointSlots(1);
    const first = await slots.take('ep_a');
    expect(first.unsent).toBeUndefined();
    expect(slots.answeringButFull('ep_a')).toBe(true);
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
    expect(slots.answeringButFull('ep_a')).toBe(true);
    second?.release?.();
    other.release?.();
    expect(slots.answeringButFull('ep_a')).toBe(false);
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
    expect(slots.answeringButFull('ep_a')).toBe(false);
  });
});
