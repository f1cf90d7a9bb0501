import { appendFileSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Spool, type SpooledJob } from './spool.js';

const job = (n: number): SpooledJob => ({ queue: 'clicks', jobId: `clk-${n}`, data: { n } });
const dirs: string[] = [];
const freshDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'spool-test-'));
  dirs.push(dir);
  return dir;
};
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

async function drain(spool: Spool): Promise<number[]> {
  const seen: number[] = [];
  await spool.replay((jobs) => {
    seen.push(...jobs.map((j) => (j.data as { n: number }).n));
    return Promise.resolve();
  }, 2);
  return seen;
}

describe('spool', () => {
  it('replays what was appended, in order, once, also after the process that wrote it is gone', async () => {
    const dir = freshDir();
    const first = new Spool(dir);
    first.append([job(1), job(2)]);
    first.append([job(3)]);
    first.close(); // as if the process stopped here
    const second = new Spool(dir);
    expect(second.hasWork()).toBe(true);
    second.append([job(4)]);
    expect(await drain(second)).toEqual([1, 2, 3, 4]);
    expect(second.hasWork()).toBe(false);
    expect(await drain(second)).toEqual([]);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('keeps a file whose replay failed, and sends it again before anything newer', async () => {
    const dir = freshDir();
    const spool = new Spool(dir);
    spool.append([job(1), job(2), job(3)]);
    let calls = 0;
    await expect(
      spool.replay(() => (++calls === 2 ? Promise.reject(new Error('Redis went away')) : Promise.resolve()), 2),
    ).rejects.toThrow('Redis went away');
    // Rotated twice in the same millisecond: the second rotation must not overwrite the first.
    spool.append([job(4)]);
    await expect(spool.replay(async () => Promise.reject(new Error('still down')))).rejects.toThrow('still down');
    spool.append([job(5)]);
    expect(spool.hasWork()).toBe(true);
    expect(await drain(spool)).toEqual([1, 2, 3, 4, 5]);
  });

  it('does not lose the line after a torn write left by a crash', async () => {
    const dir = freshDir();
    const spool = new Spool(dir);
    spool.append([job(1)]);
    spool.close();
    // A crash in the middle of an append: half a line, no newline. It was never acknowledged.
    appendFileSync(join(dir, 'spool.jsonl'), '{"queue":"clicks","jobId":"clk-2","da');
    const restarted = new Spool(dir);
    restarted.append([job(3)]);
    expect(await drain(restarted)).toEqual([1, 3]);
  });
});
