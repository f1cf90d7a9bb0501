import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { API_MARKDOWN_PATH, apiMarkdown } from '../dist/ops/api-markdown.js';

describe(API_MARKDOWN_PATH, () => {
  it('is what npm run docs:api writes from the OpenAPI document the API serves (run it after changing a route)', () => {
    const committed = readFileSync(new URL(`../../../${API_MARKDOWN_PATH}`, import.meta.url), 'utf8');
    expect(committed, `${API_MARKDOWN_PATH} is stale: run npm run docs:api`).toBe(apiMarkdown());
  });
});
