import type { ParkedJobs, Queues } from '@seedline/runtime';
import type { Logger } from 'pino';

/**
 * Whether this worker can reach the database. A job whose failure looks like an outage asks `confirmDown`: a
 * ping that fails too marks the database down (event jobs are then parked, not failed) and starts probing it
 * every `probeMs`; the first ping that answers replays every parked job. A ping that answers means the
 * database is there and the job failed for a reason of its own, so it is retried (and may fail) as usual.
 */
export class DatabaseGate {
  private downSince: number | null = null;
  private timer: NodeJS.Timeout | null = null;
  private probing = false;

  constructor(
    private readonly ping: () => Promise<boolean>,
    private readonly parked: ParkedJobs,
    private readonly queues: Queues,
    private readonly logger: Logger,
    private readonly probeMs: number,
  ) {}

  get isDown(): boolean {
    return this.downSince !== null;
  }

  async confirmDown(): Promise<boolean> {
    if (this.isDown) return true;
    if (await this.ping()) return false;
    if (this.isDown) return true;
    this.downSince = Date.now();
    this.logger.error('database unreachable: event jobs are parked (no attempt spent) until it answers again');
    this.timer = setInterval(() => void this.probe(), this.probeMs);
    return true;
  }

  /** Replays jobs parked by a worker that stopped before the database came back (their delay would, later). */
  async replayLeftovers(): Promise<void> {
    const replayed = await this.parked.replay(this.queues);
    if (Object.values(replayed).some((n) => n > 0)) this.logger.warn({ replayed }, 'parked jobs replayed at start');
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  private async probe(): Promise<void> {
    if (this.probing || !this.isDown) return;
    this.probing = true;
    try {
      if (!(await this.ping())) return;
      const downMs = Date.now() - (this.downSince ?? Date.now());
      this.stop();
      this.downSince = null;
      const replayed = await this.parked.replay(this.queues);
      this.logger.warn({ downMs, replayed }, 'database reachable again: parked jobs replayed');
    } catch (err) {
      // Redis failing the replay: the parked jobs' own delay brings them back.
      this.logger.warn({ err: (err as Error).message }, 'replaying parked jobs failed; they return after their delay');
    } finally {
      this.probing = false;
    }
  }
}
