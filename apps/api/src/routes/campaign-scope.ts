import type { Request } from 'express';
import { objectId } from '@seedline/domain';
import type { CampaignDoc } from '@seedline/db';
import { notFound } from '@seedline/http';
import type { ApiDeps } from '../deps.js';
import { currentBrand } from '../auth/brand-auth.js';

/** The campaign named in the path, if it belongs to the caller's brand; otherwise 404, whoever owns it. */
export async function scopedCampaign(deps: ApiDeps, req: Request): Promise<CampaignDoc> {
  const brand = currentBrand(req);
  const id = String(req.params.id ?? '');
  if (!objectId.safeParse(id).success) throw notFound('campaign');
  const campaign = await deps.repos.campaigns.findForBrand(brand._id, id);
  if (!campaign) throw notFound('campaign');
  return campaign;
}
