import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT, TEST_SECRETS } from '@seedline/testkit';

/** Secrets handed out during the run (API keys, addresses sent as client IPs), to look for in the logs. */
const noted = new Set(Object.values(TEST_SECRETS));
export function noteSecret(value) {
  if (value) noted.add(value);
}

/** Client addresses the suite sends come from these documentation ranges; none may appear raw in a log. */
const IP_PATTERNS = [/\b198\.51\.100\.\d{1,3}\b/, /\b203\.0\.113\.\d{1,3}\b/, /\b192\.0\.2\.\d{1,3}\b/];

/**
 * Reads every app log the run wrote (.run/test-logs/<prefix>*, modified since `since`) and reports each
 * secret or raw client address found, by file and line.
 */
export function scanLogs({ prefix, since }) {
  const dir = join(REPO_ROOT, '.run', 'test-logs');
  const files = readdirSync(dir)
    .filter((f) => f.startsWith(prefix))
    .map((f) => join(dir, f))
    .filter((f) => statSync(f).mtimeMs >= since);
  const findings = [];
  let lines = 0;
  for (const file of files) {
    const text = readFileSync(file, 'utf8');
    text.split('\n').forEach((line, i) => {
      if (!line) return;
      lines++;
      for (const s of noted)
        if (line.includes(s)) findings.push({ file, line: i + 1, what: `secret ${s.slice(0, 6)}…` });
      for (const re of IP_PATTERNS) {
        const m = re.exec(line);
        if (m) findings.push({ file, line: i + 1, what: `raw IP ${m[0]}` });
      }
    });
  }
  return { files: files.length, lines, secrets: noted.size, findings };
}
