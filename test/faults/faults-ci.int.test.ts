import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT, uniqueName } from '@seedline/testkit';

interface Row {
  case: string;
  pass: boolean;
  error?: string;
  acknowledged?: number;
  found?: number;
  lost?: number | null;
  allowedLoss?: number;
  twice?: number | null;
  fiveXXBadInput?: number;
  recoveryMs?: number | null;
  checks: { name: string; ok: boolean; detail: string }[];
}

// Every case of the suite runs in CI (each declares `ci: true`): the case files are the list.
const CASES = readdirSync(join(REPO_ROOT, 'bench/faults/cases'))
  .filter((f) => f.endsWith('.mjs'))
  .map((f) => f.replace(/\.mjs$/, ''));

/**
 * The CI subset of the fault-injection suite (every case, shorter loads and outages), run as `npm run
 * test:faults` runs it: real processes, its own Redis and FerretDB where it injects faults. The full suite
 * (20 s Redis outage, 30 s database freeze, four PostgreSQL crashes instead of two, PostgreSQL down ~3.4 min
 * against a 100 s retry budget instead of ~24 s against 10 s) stays with `npm run test:faults`.
 */
describe('fault-injection suite, CI subset', () => {
  it(
    'loses nothing, counts nothing twice, answers no 5xx to bad input, recovers within 60 s, passes the security and log checks',
    async () => {
      const out = join(REPO_ROOT, '.run', uniqueName('faults-ci'));
      const code = await new Promise<number | null>((resolve) => {
        const child = spawn(process.execPath, ['bench/faults/run.mjs', '--ci', '--out', out], {
          cwd: REPO_ROOT,
          stdio: ['ignore', 'inherit', 'inherit'],
        });
        child.on('exit', resolve);
      });
      const report = JSON.parse(readFileSync(`${out}.json`, 'utf8')) as { rows: Row[] };
      const byCase = new Map(report.rows.map((r) => [r.case, r]));
      expect([...byCase.keys()].sort()).toEqual([...CASES, 'logs'].sort());

      for (const name of CASES) {
        const r = byCase.get(name)!;
        const failed = r.checks.filter((c) => !c.ok).map((c) => `${c.name}: ${c.detail}`);
        expect({ case: name, error: r.error, failed }).toEqual({ case: name, error: undefined, failed: [] });
        expect(r.acknowledged, `${name} acknowledged events`).toBeGreaterThan(0);
        expect(r.lost, `${name} lost`).toBeLessThanOrEqual(r.allowedLoss ?? 0);
        expect(r.twice, `${name} counted twice`).toBe(0);
        expect(r.found, `${name} found`).toBe(r.acknowledged! - r.lost!);
        expect(r.recoveryMs, `${name} recovery`).not.toBeNull();
        expect(r.recoveryMs!).toBeLessThanOrEqual(60_000);
      }
      expect(byCase.get('flood')!.fiveXXBadInput).toBe(0);
      expect(byCase.get('security')!.checks.length).toBeGreaterThan(30);
      expect(byCase.get('logs')!.pass).toBe(true);
      expect(code).toBe(0);
    },
    15 * 60_000,
  );
});
