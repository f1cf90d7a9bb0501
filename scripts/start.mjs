#!/usr/bin/env node
// Runs the built stack (ingest, worker, api) in the foreground, configured by the contract's environment
// variables. Ctrl-C (SIGINT) or SIGTERM stops the three apps gracefully; if one dies, the others are stopped.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
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

let stopping = false;
const children = apps.map((app) => {
  const child = spawn(process.execPath, [join(root, 'apps', app, 'dist', 'main.js')], { cwd: root, stdio: ['ignore', 'inherit', 'inherit'] });
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
