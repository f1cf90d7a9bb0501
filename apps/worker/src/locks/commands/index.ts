import { readFileSync } from 'node:fs';
import type { Redis } from 'ioredis';

/** The lock scripts, as BullMQ keeps its own: one `.lua` file each, read once (the build copies them to dist). */
const script = (name: string) => readFileSync(new URL(`./${name}.lua`, import.meta.url), 'utf8');
const LOCK_SCRIPTS = { releaseLock: script('releaseLock'), extendLock: script('extendLock') };

export interface LockCommands {
  releaseLock(key: string, token: string): Promise<number>;
  extendLock(key: string, token: string, ttlMs: number): Promise<number>;
}

/** Defines the lock scripts on a connection (ioredis sends EVALSHA, loading a script only when Redis lacks it). */
export function withLockCommands(redis: Redis): Redis & LockCommands {
  for (const [name, lua] of Object.entries(LOCK_SCRIPTS)) {
    if (!(name in redis)) redis.defineCommand(name, { numberOfKeys: 1, lua });
  }
  return redis as Redis & LockCommands;
}
