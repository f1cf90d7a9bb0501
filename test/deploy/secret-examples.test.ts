import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { weakSecretReason } from '@seedline/runtime';

const ROOT = join(import.meta.dirname, '../..');
const read = (path: string) => readFileSync(join(ROOT, path), 'utf8');
const SECRET_NAME = /^[A-Z_]*(?:_TOKEN|_SECRETS?)$/;

/** `NAME: value` and `NAME=value` pairs whose name is a secret's, from YAML, shell lines and tables alike. */
function shippedSecretValues(text: string): [string, string][] {
  const pairs: [string, string][] = [];
  for (const line of text.split('\n')) {
    const m = /^\s*(?:export\s+)?([A-Z][A-Z_]*)\s*[:=]\s*"?([^"\s#]+)"?/.exec(line);
    if (m?.[1] && m[2] && SECRET_NAME.test(m[1]) && !m[2].startsWith('${')) pairs.push([m[1], m[2]]);
  }
  for (const m of text.matchAll(/\b([A-Z][A-Z_]*(?:_TOKEN|_SECRETS?))=([^\s`'"]+)/g)) {
    if (m[1] && m[2] && !m[2].startsWith('$')) pairs.push([m[1], m[2]]);
  }
  return pairs;
}

describe('secrets shipped with the repository never pass the production check', () => {
  it.each(['deploy/k8s/secret.example.yaml', 'docker-compose.yml', 'README.md'])('%s', (path) => {
    for (const [name, value] of shippedSecretValues(read(path))) {
      expect(weakSecretReason(value), `${path}: ${name}`).not.toBeNull();
    }
  });

  it('finds the example Secret values (the scan itself works)', () => {
    const found = shippedSecretValues(read('deploy/k8s/secret.example.yaml')).map(([name]) => name);
    expect(found).toEqual(expect.arrayContaining(['ADMIN_TOKEN', 'LINK_SECRET', 'METRICS_TOKEN']));
  });

  it('refuses short, repetitive and published values and accepts a random one', () => {
    expect(weakSecretReason('dev-only-insecure-secret-change-me')).toContain('published');
    expect(weakSecretReason('replace-with-32-random-characters')).toContain('published');
    expect(weakSecretReason('x'.repeat(31))).toContain('32 characters');
    expect(weakSecretReason('abcdabcdabcdabcdabcdabcdabcdabcdabcd')).toContain('distinct');
    expect(weakSecretReason('q3H9vF0sLk2mWz8xYp1RtB6nCj4aDe7G')).toBeNull();
  });
});
