import { Router, type RequestHandler } from 'express';
import { brandAdminUpdateRequest, brandCreateRequest, objectId } from '@seedline/domain';
import { jsonBody, notFound, parse, requireJson } from '@seedline/http';
import type { ApiDeps } from '../deps.js';

/** `admin`: the admin token check (`adminAuth`). */
export function brandsRouter(deps: ApiDeps, admin: RequestHandler): Router {
  const router = Router();
  router.post('/v1/brands', admin, requireJson(), jsonBody(), async (req, res) => {
    const body = parse(brandCreateRequest, req.body, 'body');
    const { brand, apiKey } = await deps.repos.brands.create(body.name);
    res.status(201).json({ id: brand._id, name: brand.name, apiKey, createdAt: brand.createdAt.toISOString() });
  });
  // How the brand's influencers are paid: `manual` keeps its approved reimbursements for its finance team.
  router.patch('/v1/brands/:id', admin, requireJson(), jsonBody(), async (req, res) => {
    const body = parse(brandAdminUpdateRequest, req.body, 'body');
    const id = String(req.params.id);
    const brand = objectId.safeParse(id).success
      ? await deps.repos.brands.setPayoutProvider(id, body.payoutProvider)
      : null;
    if (!brand) throw notFound('brand');
    res.json({ id: brand._id, name: brand.name, payoutProvider: brand.payoutProvider ?? 'paypal' });
  });
  return router;
}
