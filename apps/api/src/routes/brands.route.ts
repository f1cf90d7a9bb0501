import { Router } from 'express';
import { brandCreateRequest } from '@seedline/domain';
import { jsonBody, parse, requireJson } from '@seedline/http';
import type { ApiDeps } from '../deps.js';
import { adminAuth } from '../auth/admin-auth.js';

export function brandsRouter(deps: ApiDeps): Router {
  const router = Router();
  router.post('/v1/brands', adminAuth(deps.config.ADMIN_TOKEN), requireJson(), jsonBody(), async (req, res) => {
    const body = parse(brandCreateRequest, req.body, 'body');
    const { brand, apiKey } = await deps.repos.brands.create(body.name);
    res.status(201).json({ id: brand._id, name: brand.name, apiKey, createdAt: brand.createdAt.toISOString() });
  });
  return router;
}
