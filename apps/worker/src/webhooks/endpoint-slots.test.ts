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
