/**
 * How long an endpoint's attempts may all wait for an answer before more are not sent to it. Below this the
 * endpoint is answering and a slot frees soon; above it, it is hanging or far behind, and holding every new
 * delivery for it would hold the worker's jobs behind a receiver that may never answer.
 */
export const UNANSWERED_MS = 2000;

export type Slot = { release: () => void; unsent?: undefined } | { release?: undefined; unsent: string };

/**
 * The attempts in flight per endpoint in this process (WEBHOOK_ENDPOINT_CONCURRENCY at most): a hanging endpoint
 * holds only these. The attempts of one job wait for a slot of their endpoint while its holders are younger
 * than UNANSWERED_MS; once they have waited longer, an attempt is not sent (a failed attempt on the schedule).
 */
export class EndpointSlots {
  /** start times of the attempts holding a slot, per endpoint */
  private readonly held = new Map<string, number[]>();
  private readonly waiters = new Map<string, Set<() => void>>();

  constructor(private readonly limit: number) {}

  /** Every slot held, by attempts that have all waited less than UNANSWERED_MS: a new job is better parked. */
  answeringButFull(endpointId: string): boolean {
    const slots = this.held.get(endpointId) ?? [];
    return slots.length >= this.limit && Date.now() - Math.min(...slots) < UNANSWERED_MS;
  }

  async take(endpointId: string): Promise<Slot> {
    for (;;) {
      const slots = this.held.get(endpointId) ?? [];
      if (slots.length < this.limit) {
        const at = Date.now();
        this.held.set(endpointId, [...slots, at]);
        return { release: () => this.release(endpointId, at) };
      }
      const waitedMs = Date.now() - Math.min(...slots);
      if (waitedMs >= UNANSWERED_MS)
        return {
          unsent: `not sent: the endpoint's ${slots.length} attempts in flight had no answer after ${Math.round(waitedMs / 1000)} s`,
        };
      await this.freed(endpointId, UNANSWERED_MS - waitedMs);
    }
  }

  /** Resolves when a slot of the endpoint is released, or after `ms` (then its holders are old enough). */
  private freed(endpointId: string, ms: number): Promise<void> {
    return new Promise((resolve) => {
      const list = this.waiters.get(endpointId) ?? new Set<() => void>();
      this.waiters.set(endpointId, list);
      const wake = () => {
        clearTimeout(timer);
        list.delete(wake);
        if (list.size === 0 && this.waiters.get(endpointId) === list) this.waiters.delete(endpointId);
        resolve();
      };
      const timer = setTimeout(wake, ms + 1);
      list.add(wake);
    });
  }

  private release(endpointId: string, at: number): void {
    const slots = this.held.get(endpointId) ?? [];
    const i = slots.indexOf(at);
    const left = i < 0 ? slots : [...slots.slice(0, i), ...slots.slice(i + 1)];
    if (left.length > 0) this.held.set(endpointId, left);
    else this.held.delete(endpointId);
    // Every waiter looks again: one takes the slot, the others wait on.
    for (const wake of [...(this.waiters.get(endpointId) ?? [])]) wake();
  }
}
