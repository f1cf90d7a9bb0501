// Builds the dashboard into dist/ (what the API serves at /dashboard): the TypeScript modules of src/ into
// dist/js (compiled as plain ES modules, no bundler: the whole client is a few kilobytes) and public/'s static
// files copied as they are.
// Built beside the target and swapped in at the end, so a running API never sees a half-built folder.
import { execFileSync } from 'node:child_process';
import { cpSync, renameSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const out = join(here, 'dist');
const tmp = `${out}.tmp-${process.pid}`;
rmSync(tmp, { recursive: true, force: true });
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
try {
  execFileSync(process.execPath, [tsc, '-p', join(here, 'tsconfig.build.json'), '--outDir', join(tmp, 'js')], {
    stdio: 'inherit',
  });
  cpSync(join(here, 'public'), tmp, { recursive: true });
  rmSync(out, { recursive: true, force: true });
  renameSync(tmp, out);
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
