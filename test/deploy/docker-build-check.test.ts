import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

// .ci/run builds the image's stages for real with scripts/docker-build-check.mjs; here its dry run checks, in
// a second, that it still understands every instruction of the Dockerfile and finds every file the image copies.
const ROOT = join(import.meta.dirname, '../..');
const dir = mkdtempSync(join(tmpdir(), 'seedline-dockerfile-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function dryRun(dockerfile?: string) {
  const args = ['scripts/docker-build-check.mjs', '--dry-run'];
  if (dockerfile !== undefined) {
    const path = join(dir, `Dockerfile.${Math.random().toString(36).slice(2)}`);
    writeFileSync(path, dockerfile);
    args.push(`--dockerfile=${path}`);
  }
  return spawnSync(process.execPath, args, { cwd: ROOT, encoding: 'utf8' });
}

describe('docker-build-check (the Dockerfile built without Docker)', () => {
  it("reads the repository's Dockerfile: every instruction emulated, every COPY source in the build context", () => {
    const run = dryRun();
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const runs = readFileSync(join(ROOT, 'Dockerfile'), 'utf8').match(/^RUN .*/gm) ?? [];
    expect(runs.length).toBeGreaterThan(0);
    for (const line of runs) expect(run.stdout).toContain(line);
    expect(run.stdout).toMatch(/dry run: \d+ instructions, 3 stages/);
  });

  it('stops at a COPY of a file the build context lacks, and at an instruction it does not emulate', () => {
    const missing = dryRun('FROM node:20-slim\nWORKDIR /app\nCOPY no-such-file ./\n');
    expect(missing.status).toBe(1);
    expect(missing.stderr).toContain('COPY no-such-file: not in the build context');
    const ignored = dryRun('FROM node:20-slim\nWORKDIR /app\nCOPY bench/results/latest.json ./\n'); // bench/results is in .dockerignore
    expect(ignored.status).toBe(1);
    expect(ignored.stderr).toContain('left out by .dockerignore');
    const unknown = dryRun('FROM node:20-slim\nADD https://example.com/x.tgz /x\n');
    expect(unknown.status).toBe(1);
    expect(unknown.stderr).toContain('ADD: not emulated');
  });
});
