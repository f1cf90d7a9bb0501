#!/usr/bin/env node
// Runs the built stack (ingest, worker, api) in the foreground, configured by the contract's environment
// variables. Ctrl-C (SIGINT) or SIGTERM stops the three apps gracefully; if one dies, the others are stopped.
// The worker runs WORKER_NICE (default 10, 0 = off) steps of CPU priority below the others.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { getPriority, setPriority } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const apps = ['api', 'worker', 'ingest'];
for (const app of apps) {
  if (!existsSync(join(root, 'apps', app, 'dist', 'main.js'))) {
    console.error(`apps/${app} is not built: run \`npm run build\` first`);
    process.exit(1);
  }
}

// A worker draining a backlog takes every core it can get, and on one machine that would be taken from the
// ingest, whose redirects people are waiting for: the kernel serves the worker only with what is left over.
// Relative to our own priority (a process may lower its children's priority, not raise it).
const workerNice = Number(process.env.WORKER_NICE ?? 10);
if (!Number.isInteger(workerNice) || workerNice < 0 || workerNice > 19) {
  console.error('Invalid configuration: WORKER_NICE must be an integer from 0 to 19');
  process.exit(78);
}
const niceness = { worker: Math.min(19, getPriority() + workerNice) };

let stopping = false;
const children = apps.map((app) => {
  const child = spawn(process.execPath, [join(root, 'apps', app, 'dist', 'main.js')], {
    cwd: root,
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  if (niceness[app] !== undefined && child.pid !== undefined) {
    try {
      setPriority(child.pid, niceness[app]);
    } catch (err) {
      console.error(
        `could not lower the ${app}'s CPU priority (${err.message}); it runs at the same priority as the others`,
      );
    }
  }
  child.on('exit', (code, signal) => {
    if (!stopping) {
      console.error(`${app} exited unexpectedly (${signal ?? code}); stopping the stack`);
      stop(1);
    }
    if (children.every((c) => c.exitCode !== null || c.signalCode !== null)) process.exit(process.exitCode ?? 0);
  });
  return child;
});

function stop(code = 0) {
  if (stopping) return;
  stopping = true;
  process.exitCode = code;
  for (const c of children) if (c.exitCode === null) c.kill('SIGTERM');
}
process.on('SIGINT', () => stop(0));
process.on('SIGTERM', () => stop(0));
