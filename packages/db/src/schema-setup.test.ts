import { describe, expect, it } from 'vitest';
import { runSchemaSteps } from './schema-setup.js';

// As FerretDB 2.7 passes PostgreSQL's answer on (seen in CI when two starts created indexes at once).
const deadlock = () => Object.assign(new Error('deadlock detected'), { name: 'MongoServerError', code: 1 });

describe('runSchemaSteps', () => {
  it('runs the steps that failed again while the only failures are deadlocks, never two rounds at once', async () => {
    const runs = { a: 0, b: 0, c: 0 };
    let running = 0;
    let most = 0;
    const step = (key: 'a' | 'b' | 'c', failFirst: number) => async () => {
      running++;
      most = Math.max(most, running);
      await new Promise((r) => setTimeout(r, 5));
      running--;
      if (++runs[key] <= failFirst) throw deadlock();
    };
    await runSchemaSteps([step('a', 2), step('b', 0), step('c', 1)]);
    // b succeeded at once and is not run again; a and c until their deadlocks cleared.
    expect(runs).toEqual({ a: 3, b: 1, c: 2 });
    expect(most).toBe(3);
  });

  it('throws any other failure at once, and a deadlock that does not clear after six rounds', async () => {
    let runs = 0;
    const refused = Object.assign(new Error('invalid index spec'), { code: 67 });
    await expect(
      runSchemaSteps([
        () => {
          runs++;
          return Promise.reject(refused);
        },
      ]),
    ).rejects.toBe(refused);
    expect(runs).toBe(1);
    let tries = 0;
    await expect(
      runSchemaSteps([
        () => {
          tries++;
          return Promise.reject(deadlock());
        },
      ]),
    ).rejects.toThrow('deadlock detected');
    expect(tries).toBe(6);
  });
});
