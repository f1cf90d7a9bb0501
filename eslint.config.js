// `npm run lint`: ESLint with typescript-eslint's type-aware rules, then `prettier --check`.
// TypeScript files are linted with the types of the project they belong to (the root tsconfig.json's
// references), so `npx tsc -b` (npm run typecheck) must have built the referenced projects first.
import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import globals from 'globals';
import regexp from 'eslint-plugin-regexp';
import tseslint from 'typescript-eslint';

export default defineConfig(
  {
    ignores: [
      '**/dist/**',
      '**/dist.tmp-*/**',
      '**/node_modules/**',
      '.run/**',
      '.turbo/**',
      'coverage/**',
      'tools/**',
      'bench/results/**',
    ],
  },
  js.configs.recommended,
  tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      // A leading underscore marks a binding kept on purpose: Express tells an error handler by its four
      // parameters, and `{ dropped: _dropped, ...rest }` is how a field is left out of a copy.
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_', ignoreRestSiblings: true },
      ],
    },
  },
  {
    // No pattern may take more than linear time on any input: every regex here may one day see user input, and
    // one backtracking pattern on a long string holds a whole process's event loop (issue 19).
    files: ['**/*.{ts,mts,cts,js,mjs,cjs}'],
    plugins: { regexp },
    rules: {
      'regexp/no-super-linear-backtracking': ['error', { report: 'potential' }],
      'regexp/no-super-linear-move': ['error', { report: 'potential' }],
    },
  },
  {
    // Tests read the JSON bodies of real HTTP responses and parsed YAML, untyped on purpose: their `expect`s are
    // what check those shapes, and giving the body the API's type would assume the very thing under test.
    files: ['**/test/**/*.ts', '**/*.test.ts', 'packages/testkit/src/**/*.ts'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
    },
  },
  {
    // Scripts, benchmarks and build helpers are plain JavaScript run by Node: no types to check them with.
    files: ['**/*.{js,mjs,cjs}'],
    extends: [tseslint.configs.disableTypeChecked],
    languageOptions: { globals: globals.node },
  },
);
