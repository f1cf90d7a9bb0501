/**
 * How long an endpoint's attempts may all wait for an answer before more are not sent to it. Below this the
 * endpoint is answering and a slot frees soon; above it, it is hanging or far behind, and holding every new
 * delivery for it would hold the worker's jobs behind a receiver that may never answer.
 */
export const UNANSWERED_MS = 2000;

/**
 * How long a job's attempts may expect to wait in this process for their endpoint's slots, at the pace its
 * answers came lately, before the job is parked instead: a short wait costs nothing, while a parked job costs a
 * queue round trip each time it comes back to find the slots still taken (a bench saw 56,000 parked attempts for
 * 37,000 made, when every job found its endpoint's slots held by the job before it).
 */
export const LOCAL_WAIT_MS = 1000;
/** The longest a job is parked for: a backlog this far ahead is looked at again anyway. */
const PARK_MAX_MS = 30_000;
/** How much the latest answer weighs in an endpoint's recent answer time. */
const HOLD_WEIGHT = 0.2;
/** A recent hold time this close to the timeout means the attempts timed out (an endpoint that hangs). */
const HANGING_SHARE = 0.9;

export type Slot = { release: () => void; unsent?: undefined } | { release?: undefined; unsent: string };

/** An attempt waiting for a slot: `give` hands it one a release freed. */
interface Waiter {
  give: (slot: Slot) => void;
}

/**
 * The attempts in flight per endpoint in this process (WEBHOOK_ENDPOINT_CONCURRENCY at most): a hanging endpoint
 * holds only these. The attempts of one job wait for a slot of their endpoint while its holders are younger
 * than UNANSWERED_MS; once they have waited longer, an attempt is not sent (a failed attempt on the schedule).
 * A freed slot goes to the longest waiter, not to a race: a fan-out of a few hundred attempts to one endpoint
 * wakes one waiter per answer, not all of them (which made each answer cost a timer per waiter).
 */
export class EndpointSlots {
  /** start times of the attempts holding a slot, per endpoint */
  private readonly held = new Map<string, number[]>();
  /** attempts waiting for a slot, per endpoint, oldest first */
  private readonly waiters = new Map<string, Waiter[]>();

  /** the time an attempt held a slot lately, per endpoint (weighted towards the latest answers) */
  private readonly holdMs = new Map<string, number>();

  /**
   * `timeoutMs`: an attempt's timeout. An endpoint whose recent attempts held their slots about that long is
   * hanging: while its slots are all held, its next attempts go unsent at once instead of waiting (or being
   * parked) until the holders are UNANSWERED_MS old. Waiting there freed no slot, and every job of such an
   * endpoint came back at that moment together, a burst of writes beside the status updates every round.
   */
  constructor(
    private readonly limit: number,
    private readonly now: () => number = Date.now,
    private readonly timeoutMs = Number.POSITIVE_INFINITY,
  ) {}

  /** Whether the endpoint's recent attempts ran into their timeout (see the constructor). */
  private hanging(endpointId: string): boolean {
    return (this.holdMs.get(endpointId) ?? 0) >= HANGING_SHARE * this.timeoutMs;
  }

  /**
   * Null when a job's `attempts` may wait here for the endpoint's slots: one is free, its holders are past
   * UNANSWERED_MS (the attempts then go unsent at once), or the attempts waiting and these would all have a
   * slot within LOCAL_WAIT_MS at the pace of its recent answers. Otherwise how long to park the job for, with
   * jitter: the time the attempts ahead need at that pace (an answering endpoint's backlog), or, when its
   * answers are slow or none came yet, until its holders are UNANSWERED_MS old (a hanging endpoint's next
   * attempts then go unsent without waiting).
   */
  parkFor(endpointId: string, attempts: number): number | null {
    const slots = this.held.get(endpointId) ?? [];
    const age = this.now() - Math.min(...slots);
    if (slots.length < this.limit || age >= UNANSWERED_MS || this.hanging(endpointId)) return null;
    const hold = this.holdMs.get(endpointId);
    const ahead = (this.waiters.get(endpointId)?.length ?? 0) + attempts;
    const expectedMs = hold === undefined || hold >= UNANSWERED_MS ? null : (ahead * hold) / this.limit;
    if (expectedMs !== null && expectedMs <= LOCAL_WAIT_MS) return null;
    const parkMs = expectedMs === null ? UNANSWERED_MS - age : Math.min(expectedMs, PARK_MAX_MS);
    return Math.round(parkMs + Math.random() * 1000);
  }

  async take(endpointId: string): Promise<Slot> {
    for (;;) {
      const slots = this.held.get(endpointId) ?? [];
      if (slots.length < this.limit) return this.hold(endpointId);
      const waitedMs = this.now() - Math.min(...slots);
      const open = `not sent: the endpoint's ${slots.length} attempts in flight`;
      if (waitedMs >= UNANSWERED_MS) return { unsent: `${open} had no answer after ${Math.round(waitedMs / 1000)} s` };
      if (this.hanging(endpointId)) return { unsent: `${open} have no answer yet, and its latest ones timed out` };
      const given = await this.wait(endpointId, UNANSWERED_MS - waitedMs);
      if (given) return given;
    }
  }

  private hold(endpointId: string): Slot {
    const at = this.now();
    this.held.set(endpointId, [...(this.held.get(endpointId) ?? []), at]);
    return { release: () => this.release(endpointId, at) };
  }

  /** Resolves with a slot a release handed over, or with null after `ms` (then its holders are old enough). */
  private wait(endpointId: string, ms: number): Promise<Slot | null> {
    return new Promise((resolve) => {
      const queue = this.waiters.get(endpointId) ?? [];
      this.waiters.set(endpointId, queue);
      const waiter: Waiter = {
        give: (slot) => {
          clearTimeout(timer);
          resolve(slot);
        },
      };
      const timer = setTimeout(() => {
        this.dropWaiter(endpointId, waiter);
        resolve(null);
      }, ms + 1);
      queue.push(waiter);
    });
  }

  private dropWaiter(endpointId: string, waiter: Waiter): void {
    const queue = this.waiters.get(endpointId);
    if (!queue) return;
    const i = queue.indexOf(waiter);
    if (i >= 0) queue.splice(i, 1);
    if (queue.length === 0) this.waiters.delete(endpointId);
  }

  private release(endpointId: string, at: number): void {
    const slots = this.held.get(endpointId) ?? [];
    const i = slots.indexOf(at);
    // A slot released twice frees nothing the second time (else a waiter would go over the limit).
    if (i < 0) return;
    const held = this.now() - at;
    const before = this.holdMs.get(endpointId);
    this.holdMs.set(endpointId, before === undefined ? held : before + HOLD_WEIGHT * (held - before));
    const left = [...slots.slice(0, i), ...slots.slice(i + 1)];
    if (left.length > 0) this.held.set(endpointId, left);
    else this.held.delete(endpointId);
    const next = this.waiters.get(endpointId)?.[0];
    if (!next) return;
    this.dropWaiter(endpointId, next);
    // Held before the waiter runs: an attempt arriving meanwhile cannot take it first.
    next.give(this.hold(endpointId));
  }
}
