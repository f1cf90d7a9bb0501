import { Router } from 'express';
import { brandSettingsRequest } from '@seedline/domain';
import { jsonBody, notFound, parse, requireJson } from '@seedline/http';
import type { ApiDeps } from '../deps.js';
import { currentBrand } from '../auth/brand-auth.js';
import { presentBrand } from '../presenters/brand.presenter.js';

/** The calling brand's own settings. Read from the database, not the auth cache, so a change shows at once. */
export function brandRouter(deps: ApiDeps): Router {
  const router = Router();
  router.get('/v1/brand', async (req, res) => {
    const brand = await deps.repos.brands.findById(currentBrand(req)._id);
    if (!brand) throw notFound('brand');
    res.json(presentBrand(brand));
  });
  router.patch('/v1/brand', requireJson(), jsonBody(), async (req, res) => {
    const change = parse(brandSettingsRequest, req.body, 'body');
    const brand = await deps.repos.brands.updateSettings(currentBrand(req)._id, change);
    if (!brand) throw notFound('brand');
    res.json(presentBrand(brand));
  });
  return router;
}
