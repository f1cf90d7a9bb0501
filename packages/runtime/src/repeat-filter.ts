/**
 * Lets the first of a run of identical messages through, then one per window with how many were held back:
 * while Redis is down every worker of every queue reports each failed reconnect (some 130 lines a second
 * here), which buried the log without telling anything new.
 */
export class RepeatFilter {
  private readonly last = new Map<string, { at: number; held: number }>();

  constructor(
    private readonly windowMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** null: hold this one back; otherwise how many like it were held back since the last let through. */
  admit(key: string): number | null {
    const t = this.now();
    const seen = this.last.get(key);
    if (seen && t - seen.at < this.windowMs) {
      seen.held++;
      return null;
    }
    // Bounded: keys are queue × message, and messages of one outage repeat; a flood of new ones starts afresh.
    if (this.last.size > 1000) this.last.clear();
    this.last.set(key, { at: t, held: 0 });
    return seen?.held ?? 0;
  }
}
