#!/usr/bin/env node
// Builds what the Dockerfile builds, without Docker (no engine runs on the development machines): the
// Dockerfile's own FROM/WORKDIR/ENV/COPY/RUN instructions, read from it so they cannot drift, run in order in a
// temporary directory, each stage in a folder standing for its root filesystem. The build context is a clean
// copy of the files git tracks or would track (never its ignored build outputs), minus .dockerignore. Then the
// final stage's apps are started as far as their configuration check (exit 78 without the production secrets):
// their whole module graph loads from what the image holds, with production dependencies only.
//
// Not emulated: the base image (the host's node and npm run the commands; the script stops if the host's node
// major differs from the image's tag), file owners (`chown` is skipped: no such user here) and USER.
//
//   node scripts/docker-build-check.mjs [--dry-run] [--keep] [--dockerfile=PATH]
//   --dry-run     parse, check every COPY source exists in the context, print the steps, run nothing
//   --keep        leave the temporary directory for inspection
//   --dockerfile  another Dockerfile over the same context (the default is the repository's)
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, posix } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const dryRun = process.argv.includes('--dry-run');
const keep = process.argv.includes('--keep');
const dockerfile =
  process.argv.find((a) => a.startsWith('--dockerfile='))?.slice('--dockerfile='.length) ?? join(ROOT, 'Dockerfile');

const fail = (message) => {
  console.error(`docker-build-check: ${message}`);
  process.exit(1);
};

/** Instructions with continuation lines joined; comments and parser directives dropped. */
function parseDockerfile(text) {
  const out = [];
  let pending = '';
  for (const raw of text.split('\n')) {
    if (!pending && /^\s*(#|$)/.test(raw)) continue;
    const line = pending + raw.trim();
    if (line.endsWith('\\')) {
      pending = `${line.slice(0, -1)} `;
      continue;
    }
    pending = '';
    const instr = line.split(/\s/, 1)[0] ?? '';
    const args = line.slice(instr.length).trimStart();
    out.push({ instr: instr.toUpperCase(), args });
  }
  return out;
}

/** .dockerignore: patterns anchored at the context root, `**` any depth, later `!` patterns re-include. */
function ignoreRules(text) {
  return text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'))
    .map((l) => {
      const negate = l.startsWith('!');
      const pattern = posix.normalize(l.slice(negate ? 1 : 0).replace(/^\/+/, ''));
      const source = pattern
        .split(/(\*\*\/|\*\*|\*|\?)/)
        .map(
          (part) =>
            ({ '**/': '(?:.*/)?', '**': '.*', '*': '[^/]*', '?': '[^/]' })[part] ??
            part.replace(/[.+^${}()|[\]\\]/g, '\\$&'),
        )
        .join('');
      // A pattern that matches a folder leaves out everything in it.
      return { negate, re: new RegExp(`^${source}(?:/.*)?$`) };
    });
}

function contextFiles() {
  // Tracked files and new ones git does not ignore, as they are now: on a fresh clone, exactly the clone.
  const listed = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], {
    cwd: ROOT,
    encoding: 'utf8',
  });
  const tracked = [...new Set(listed.split('\0').filter(Boolean))];
  const dockerignore = join(ROOT, '.dockerignore');
  const rules = existsSync(dockerignore) ? ignoreRules(readFileSync(dockerignore, 'utf8')) : [];
  return tracked.filter((file) => {
    let ignored = false;
    for (const rule of rules) if (rule.re.test(file)) ignored = !rule.negate;
    return !ignored && existsSync(join(ROOT, file)); // a tracked file deleted in the working tree is not there
  });
}

const words = (args) => args.split(/\s+/).filter(Boolean);
const jsonArray = (args) => (args.startsWith('[') ? JSON.parse(args) : null);

function main() {
  const hostMajor = process.versions.node.split('.')[0];
  // What npm sets for its scripts (npm_config_*, INIT_CWD) would change the nested npm commands: a container has none.
  const hostEnv = Object.fromEntries(
    Object.entries(process.env).filter(([k]) => !/^npm_/i.test(k) && k !== 'INIT_CWD'),
  );
  const instructions = parseDockerfile(readFileSync(dockerfile, 'utf8'));
  const files = contextFiles();
  const inContext = (p) => {
    const rel = posix
      .normalize(p)
      .replace(/^\.?\/?/, '')
      .replace(/\/$/, '');
    return rel === '' || files.some((f) => f === rel || f.startsWith(`${rel}/`));
  };

  const tmp = dryRun ? '/nonexistent' : mkdtempSync(join(tmpdir(), 'seedline-docker-build-'));
  if (!dryRun && !keep) process.on('exit', () => rmSync(tmp, { recursive: true, force: true }));
  const context = join(tmp, 'context');
  if (!dryRun) for (const f of files) cpSync(join(ROOT, f), join(context, f));

  const stages = [];
  let stage = null;
  const inStage = (s, p) => join(tmp, 'stages', String(s.index), posix.isAbsolute(p) ? p : posix.join(s.workdir, p));
  const step = (text) => console.log(`› [${stage?.name ?? '-'}] ${text}`);

  for (const { instr, args } of instructions) {
    if (instr === 'FROM') {
      const [image = '', as, name] = words(args);
      const tag = /^node:(\d+)/.exec(image)?.[1];
      if (!tag) fail(`FROM ${image}: only node:<major> images are emulated`);
      if (tag !== hostMajor) fail(`FROM ${image} but this host runs node ${process.versions.node}`);
      stage = {
        index: stages.length,
        name: as?.toUpperCase() === 'AS' ? name : String(stages.length),
        workdir: '/',
        env: {},
        user: 'root',
      };
      stages.push(stage);
      step(`FROM ${image} (the host's node ${process.versions.node})`);
      if (!dryRun) mkdirSync(inStage(stage, '/'), { recursive: true });
      continue;
    }
    if (!stage) fail(`${instr} before FROM`);
    if (instr === 'WORKDIR') {
      stage.workdir = posix.resolve(stage.workdir, args);
      step(`WORKDIR ${stage.workdir}`);
      if (!dryRun) mkdirSync(inStage(stage, stage.workdir), { recursive: true });
    } else if (instr === 'ENV') {
      const pairs = args.includes('=')
        ? [...args.matchAll(/\b(\w+)=("[^"]*"|\S*)/g)].map((m) => [m[1], m[2].replace(/^"|"$/g, '')])
        : [words(args)];
      for (const [key, value] of pairs) stage.env[key] = value;
      step(`ENV ${args}`);
    } else if (instr === 'COPY') {
      const parts = words(args);
      const flags = parts.filter((p) => p.startsWith('--'));
      const paths = parts.filter((p) => !p.startsWith('--'));
      const from = flags.find((f) => f.startsWith('--from='))?.slice('--from='.length);
      const dest = paths.pop();
      if (!dest || paths.length === 0) fail(`COPY ${args}: needs a source and a destination`);
      const source = from === undefined ? null : stages.find((s) => s.name === from);
      if (from !== undefined && !source) fail(`COPY --from=${from}: no such stage`);
      if (paths.some((p) => /[*?[]/.test(p))) fail(`COPY ${args}: wildcards are not emulated`);
      step(`COPY ${args}`);
      for (const p of paths) {
        if (!source && !inContext(p))
          fail(`COPY ${p}: not in the build context (untracked, or left out by .dockerignore)`);
        if (dryRun) continue;
        const src = source ? inStage(source, p) : join(context, p);
        if (!existsSync(src)) fail(`COPY ${p}: ${source ? `stage ${source.name}` : 'the context'} has no ${p}`);
        // Docker's rules: a folder's contents go into the destination; a file goes into it when it is a
        // folder (trailing slash, or several sources), else becomes it.
        const isDir = statSync(src).isDirectory();
        const intoFolder = dest.endsWith('/') || paths.length > 1;
        const target = inStage(stage, !isDir && intoFolder ? posix.join(dest, basename(p)) : dest);
        mkdirSync(isDir ? target : dirname(target), { recursive: true });
        cpSync(src, target, { recursive: true, verbatimSymlinks: true });
      }
    } else if (instr === 'RUN') {
      step(`RUN ${args}`);
      if (dryRun) continue;
      const root = inStage(stage, '/');
      const cwd = inStage(stage, stage.workdir);
      const env = { ...hostEnv, ...stage.env };
      const exec = jsonArray(args);
      // Absolute paths into what the stage built (e.g. /app) point into its folder here.
      const tops = stage.workdir === '/' ? [] : [stage.workdir.split('/')[1]];
      const mapped = tops.reduce(
        (cmd, top) => cmd.replace(new RegExp(`(^|[\\s=:'"])/${top}(?=[/\\s'"]|$)`, 'g'), `$1${root}${top}`),
        args,
      );
      const result = exec
        ? spawnSync(exec[0], exec.slice(1), { cwd, env, stdio: 'inherit' })
        : spawnSync(
            '/bin/sh',
            ['-c', `chown() { echo "(chown $* skipped: file owners are not emulated)"; }\n${mapped}`],
            { cwd, env, stdio: 'inherit' },
          );
      if (result.status !== 0) fail(`RUN ${args}: exit ${result.status ?? result.signal}`);
    } else if (instr === 'USER') {
      stage.user = args;
      step(`USER ${args} (not emulated: the commands run as ${process.env.USER ?? 'this user'})`);
    } else if (['EXPOSE', 'CMD', 'ENTRYPOINT', 'LABEL', 'STOPSIGNAL', 'HEALTHCHECK'].includes(instr)) {
      step(`${instr} ${args} (metadata)`);
    } else {
      fail(`${instr}: not emulated; teach scripts/docker-build-check.mjs what it does`);
    }
  }

  const image = stages.at(-1);
  if (!image) fail('no FROM in the Dockerfile');
  if (dryRun) {
    console.log(
      `dry run: ${instructions.length} instructions, ${stages.length} stages, every COPY source is in the context`,
    );
    return;
  }
  // The image's apps, started without the production secrets: exit 78 means every module they import loaded.
  const appDir = inStage(image, image.workdir);
  const bare = Object.fromEntries(Object.entries(hostEnv).filter(([k]) => !/TOKEN|SECRET|_URL$/.test(k)));
  for (const app of ['api', 'ingest', 'worker']) {
    const run = spawnSync(process.execPath, [`apps/${app}/dist/main.js`], {
      cwd: appDir,
      env: { ...bare, ...image.env },
      encoding: 'utf8',
      timeout: 30_000,
    });
    console.log(
      `› [${image.name}] node apps/${app}/dist/main.js → exit ${run.status}: ${run.stderr.trim().split('\n')[0]}`,
    );
    if (run.status !== 78) fail(`${app} did not reach its configuration check in the image:\n${run.stderr}`);
  }
  console.log(`docker-build-check: the Dockerfile's ${stages.length} stages built${keep ? ` (kept in ${tmp})` : ''}`);
}

main();
