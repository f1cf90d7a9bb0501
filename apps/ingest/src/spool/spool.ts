import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { QueueName } from '@seedline/domain';

export interface SpooledJob {
  queue: QueueName;
  jobId: string;
  data: unknown;
}

/**
 * A local append-only file for events acknowledged while Redis was unreachable. Each append is fsynced
 * before the client gets its answer. Replay renames the file first (new appends start a fresh one), sends
 * it in order, and deletes it only after Redis accepted every job; a crash mid-replay replays the file
 * again, which the deterministic job ids and the database's event ids make harmless.
 */
export class Spool {
  private readonly active: string;
  private fd: number | null = null;
  private pending = 0;

  constructor(private readonly dir: string) {
    mkdirSync(dir, { recursive: true });
    this.active = join(dir, 'spool.jsonl');
  }

  append(jobs: SpooledJob[]): void {
    if (jobs.length === 0) return;
    this.fd ??= openSync(this.active, 'a');
    writeSync(this.fd, jobs.map((j) => JSON.stringify(j)).join('\n') + '\n');
    fsyncSync(this.fd);
    this.pending += jobs.length;
  }

  /** Jobs appended since this process started (and not yet replayed by it). */
  get size(): number {
    return this.pending;
  }

  hasWork(): boolean {
    return this.fd !== null || this.replayFiles().length > 0 || existsSync(this.active);
  }

  /** Sends every spooled job through `send`, oldest file first; stops at the first failure. */
  async replay(send: (jobs: SpooledJob[]) => Promise<void>, chunk = 500): Promise<number> {
    if (this.fd !== null) {
      closeSync(this.fd);
      this.fd = null;
    }
    if (existsSync(this.active)) renameSync(this.active, join(this.dir, `replay-${Date.now()}-${process.pid}.jsonl`));
    this.pending = 0;
    let sent = 0;
    for (const file of this.replayFiles()) {
      const jobs = readFileSync(file, 'utf8')
        .split('\n')
        .filter((line) => line.trim() !== '')
        .flatMap((line) => {
          try {
            return [JSON.parse(line) as SpooledJob];
          } catch {
            return []; // a torn last line from a crash mid-append was never acknowledged
          }
        });
      for (let i = 0; i < jobs.length; i += chunk) await send(jobs.slice(i, i + chunk));
      unlinkSync(file);
      sent += jobs.length;
    }
    return sent;
  }

  close(): void {
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
  }

  private replayFiles(): string[] {
    return readdirSync(this.dir)
      .filter((f) => f.startsWith('replay-') && f.endsWith('.jsonl'))
      .sort((a, b) => Number(a.split('-')[1]) - Number(b.split('-')[1]) || a.localeCompare(b))
      .map((f) => join(this.dir, f));
  }
}
