import { afterAll, beforeAll } from 'vitest';
import { createStack, type AppName, type Stack } from '@seedline/testkit';
import { TestQueues } from './queues.js';
import { Db } from './results.js';

export interface Harness {
  stack: Stack;
  queues: TestQueues;
  db: Db;
}

/** A stack of real processes for the enclosing `describe`, with its queues and database at hand. */
export function useStack(label: string, env: Record<string, string>, apps: AppName[]): Harness {
  const h = {} as Harness;
  beforeAll(async () => {
    h.stack = await createStack(label, env, apps);
    h.queues = new TestQueues(h.stack);
    h.db = await Db.open(h.stack.env.MONGO_URL as string);
  });
  afterAll(async () => {
    await h.queues?.close();
    await h.db?.close();
    await h.stack?.stop();
  });
  return h;
}
