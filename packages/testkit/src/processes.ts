import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { pollUntil } from './poll.js';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
export type AppName = 'api' | 'ingest' | 'worker';

export interface RunningApp {
  name: AppName;
  proc: ChildProcess;
  logFile: string;
  logs(): string;
  /** SIGTERM and wait for exit */
  stop(): Promise<number | null>;
  /** SIGKILL and wait for exit */
  kill(): Promise<void>;
  exited: Promise<number | null>;
}

/** Starts a built app (`apps/<name>/dist/main.js`) as a real process, logs into a file. */
export async function startApp(
  name: AppName,
  env: Record<string, string>,
  opts: { port?: number; label?: string } = {},
): Promise<RunningApp> {
  const logDir = join(REPO_ROOT, '.run', 'test-logs');
  mkdirSync(logDir, { recursive: true });
  const logFile = join(logDir, `${opts.label ?? name}-${Date.now()}-${Math.random().toString(36).slice(2, 7)}.log`);
  const out = createWriteStream(logFile);
  const proc = spawn(process.execPath, [join(REPO_ROOT, 'apps', name, 'dist', 'main.js')], {
    cwd: REPO_ROOT,
    env: { PATH: process.env.PATH ?? '', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  proc.stdout?.pipe(out, { end: false });
  proc.stderr?.pipe(out, { end: false });
  const exited = new Promise<number | null>((res) => proc.once('exit', (code) => res(code)));
  const logs = () => {
    try {
      return readFileSync(logFile, 'utf8');
    } catch {
      return '';
    }
  };
  let dead = false;
  void exited.then(() => {
    dead = true;
  });
  const ready =
    name === 'worker'
      ? () => logs().includes('worker running')
      : async () => (await fetch(`http://127.0.0.1:${opts.port}/healthz`).catch(() => null))?.ok === true;
  await pollUntil(
    async () => {
      if (dead) throw new Error(`${name} exited during start:\n${logs().slice(-2000)}`);
      return ready();
    },
    { timeoutMs: 30_000, what: `${name} to start` },
  ).catch((err) => {
    proc.kill('SIGKILL');
    throw err;
  });
  return {
    name,
    proc,
    logFile,
    logs,
    exited,
    async stop() {
      if (!dead) proc.kill('SIGTERM');
      return exited;
    },
    async kill() {
      if (!dead) proc.kill('SIGKILL');
      await exited;
    },
  };
}
