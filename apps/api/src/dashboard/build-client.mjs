// Builds the dashboard's browser side into dist/dashboard/public: the TypeScript modules (compiled as plain
// ES modules, no bundler: the whole client is a few kilobytes) and the static files copied as they are.
import { execFileSync } from 'node:child_process';
import { cpSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const out = join(here, '../../dist/dashboard/public');
rmSync(out, { recursive: true, force: true });
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
execFileSync(process.execPath, [tsc, '-p', join(here, 'client/tsconfig.json')], { stdio: 'inherit' });
cpSync(join(here, 'public'), out, { recursive: true });
