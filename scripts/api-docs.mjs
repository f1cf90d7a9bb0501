// Writes docs/api.md, the API reference, from the OpenAPI document the API serves at /openapi.json (built
// from apps/api/src/ops/route-catalogue.ts). `npm run docs:api` builds the API first; apps/api/test/api-docs.test.ts
// fails when the committed page differs from what this would write.
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { API_MARKDOWN_PATH, apiMarkdown } from '../apps/api/dist/ops/api-markdown.js';

const target = join(dirname(fileURLToPath(import.meta.url)), '..', API_MARKDOWN_PATH);
writeFileSync(target, apiMarkdown());
console.log(`wrote ${API_MARKDOWN_PATH}`);
