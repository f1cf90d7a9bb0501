import {
  closeSync,
  existsSync,
  fstatSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  readSync,
  renameSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';
import type { QueueName } from '@seedline/domain';

export interface SpooledJob {
  queue: QueueName;
  jobId: string;
  data: unknown;
}

const ACTIVE = 'spool.jsonl';
const REPLAY = /^replay-(\d+)-(\d+)(?:-(\d+))?\.jsonl$/;

/**
 * A local append-only file for events acknowledged while Redis was unreachable. Each append is fsynced
 * before the client gets its answer. Replay renames the file first (new appends start a fresh one), sends
 * it in order, and deletes it only after Redis accepted every job; a crash mid-replay replays the file
 * again, which the deterministic job ids and the database's event ids make harmless.
 */
export class Spool {
  private readonly active: string;
  private fd: number | null = null;
  private seq = 0;

  constructor(private readonly dir: string) {
    mkdirSync(dir, { recursive: true });
    this.active = join(dir, ACTIVE);
  }

  append(jobs: SpooledJob[]): void {
    if (jobs.length === 0) return;
    this.fd ??= this.openActive();
    writeSync(this.fd, jobs.map((j) => JSON.stringify(j)).join('\n') + '\n');
    fsyncSync(this.fd);
  }

  hasWork(): boolean {
    return this.fd !== null || existsSync(this.active) || this.replayFiles().length > 0;
  }

  /** Sends every spooled job through `send`, oldest file first, in file order; stops at the first failure. */
  async replay(send: (jobs: SpooledJob[]) => Promise<void>, chunk = 500): Promise<number> {
    if (this.fd !== null) {
      closeSync(this.fd);
      this.fd = null;
    }
    if (existsSync(this.active)) {
      // Name = time, pid, sequence: unique even for two rotations in one millisecond, and sorted oldest first.
      renameSync(this.active, join(this.dir, `replay-${Date.now()}-${process.pid}-${this.seq++}.jsonl`));
      this.syncDir();
    }
    let sent = 0;
    for (const file of this.replayFiles()) {
      const jobs = readFileSync(file, 'utf8')
        .split('\n')
        .flatMap((line) => {
          if (line.trim() === '') return [];
          try {
            return [JSON.parse(line) as SpooledJob];
          } catch {
            return []; // a torn line from a crash mid-append was never acknowledged
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

  /**
   * Opens the active file for appending. A crash in the middle of an append can leave a last line without
   * its newline: end it first, or the next (acknowledged) line would be glued to it and lost on replay.
   */
  private openActive(): number {
    const existed = existsSync(this.active);
    const fd = openSync(this.active, 'a+');
    const size = fstatSync(fd).size;
    if (size > 0) {
      const last = Buffer.alloc(1);
      readSync(fd, last, 0, 1, size - 1);
      if (last[0] !== 0x0a) writeSync(fd, '\n');
    }
    if (!existed) this.syncDir();
    return fd;
  }

  /** Makes a created or renamed file's directory entry durable, not only its content. */
  private syncDir(): void {
    let fd: number | null = null;
    try {
      fd = openSync(this.dir, 'r');
      fsyncSync(fd);
    } catch {
      // Some filesystems refuse fsync on a directory; the file's own fsync still holds its content.
    } finally {
      if (fd !== null) closeSync(fd);
    }
  }

  private replayFiles(): string[] {
    const key = (name: string) => (REPLAY.exec(name) ?? []).slice(1).map(Number);
    return readdirSync(this.dir)
      .filter((f) => REPLAY.test(f))
      .sort((a, b) => {
        const [ka, kb] = [key(a), key(b)];
        for (let i = 0; i < 3; i++) if (ka[i] !== kb[i]) return (ka[i] ?? 0) - (kb[i] ?? 0);
        return 0;
      })
      .map((f) => join(this.dir, f));
  }
}
