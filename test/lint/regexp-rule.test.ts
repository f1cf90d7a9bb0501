import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

// `npm run lint` lints the tree with eslint.config.js; this checks that the config itself refuses the patterns
// of issue 19 (and so any like them), wherever in the tree they are written.
const eslint = new ESLint({ cwd: new URL('../..', import.meta.url).pathname });

async function rulesBroken(code: string, filePath = 'scripts/regexp-fixture.mjs'): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).map((m) => m.ruleId ?? m.message);
}

describe('the lint rule against super-linear regexes', () => {
  it('refuses the template pattern that took cubic time', async () => {
    expect(await rulesBroken('export const P = /\\{\\{\\s*([^{}]*?)\\s*\\}\\}/g;\n')).toContain(
      'regexp/no-super-linear-backtracking',
    );
  });

  it('refuses the money pattern that took quadratic time', async () => {
    const money = "/^(-?)\\s*(?:[A-Z]{3}\\s+)?\\s*(-?)\\s*(\\d[\\d.,' ]*)\\s*(?:[A-Z]{3})?$/";
    expect(await rulesBroken(`export const M = ${money};\n`)).toContain('regexp/no-super-linear-backtracking');
  });

  it('refuses a pattern that retries from every position (a trailing-run trim)', async () => {
    expect(await rulesBroken("export const trim = (s) => s.replace(/\\/+$/, '');\n")).toContain(
      'regexp/no-super-linear-move',
    );
  });

  // Linting TypeScript loads the project's types first: slow on a busy machine, hence the longer timeout.
  it('applies to TypeScript sources too', { timeout: 180_000 }, async () => {
    const code = 'export const P = /\\{\\{\\s*([^{}]*?)\\s*\\}\\}/g;\n';
    expect(await rulesBroken(code, 'packages/domain/src/reminders/templates.ts')).toContain(
      'regexp/no-super-linear-backtracking',
    );
  });

  it('passes a linear pattern', async () => {
    expect(await rulesBroken('export const ID = /^[0-9a-f]{24}$/;\n')).toEqual([]);
  });
});
