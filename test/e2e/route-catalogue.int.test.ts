import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '@seedline/runtime';
import { createStack, type Stack } from '@seedline/testkit';
// The built apps, as their processes run them: the catalogue lives in the api, the routes it documents for the
// ingest are served by the ingest, so neither app's own tests can hold both without one importing the other.
import { ROUTES } from '../../apps/api/dist/ops/route-catalogue.js';
import { composeIngest, type ComposedIngest } from '../../apps/ingest/dist/compose.js';
import { loadIngestConfig } from '../../apps/ingest/dist/config.js';

const key = (r: { method: string; path: string }) => `${r.method} ${r.path}`;

describe("the route catalogue's ingest routes, against the routes the ingest serves", () => {
  let stack: Stack;
  let ingest: ComposedIngest;
  beforeAll(async () => {
    // No processes: the ingest is composed here, over the same real services, to read its routes.
    stack = await createStack('catalogue', {}, []);
    ingest = await composeIngest(
      loadIngestConfig({ ...stack.env, LOG_LEVEL: 'silent' }),
      createLogger('ingest-test', 'silent'),
    );
  });
  afterAll(async () => {
    for (const step of ingest?.shutdownSteps ?? []) await step.run();
    await stack?.stop();
  });

  it('documents every route the ingest serves (the hot path included), and none it does not', () => {
    const { contract, probes } = ingest.listener.routes();
    const served = contract.map(key).sort();
    const catalogued = ROUTES.filter((r) => r.server === 'ingest')
      .map(key)
      .sort();
    expect(catalogued.length).toBeGreaterThan(0);
    expect(served).toEqual(catalogued);

    // The probes are the API's own, of the same paths, documented once with the API's.
    const apiRoutes = new Set(ROUTES.filter((r) => r.server === 'api').map(key));
    expect(probes.length).toBeGreaterThan(0);
    expect(probes.map(key).filter((k) => !apiRoutes.has(k))).toEqual([]);
  });
});
