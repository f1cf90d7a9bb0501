import { Router } from 'express';
import { instagramConnectBody, sealText, tokenWarning } from '@seedline/domain';
import type { InstagramAccountDoc } from '@seedline/db';
import { HttpError, jsonBody, notFound, parse, requireJson } from '@seedline/http';
import { GraphError } from '@seedline/runtime';
import type { ApiDeps } from '../deps.js';
import { currentBrand } from '../auth/brand-auth.js';

const notConfigured = () =>
  new HttpError(
    503,
    'instagram_unavailable',
    'Instagram is not configured on this server (INSTAGRAM_GRAPH_URL, INSTAGRAM_APP_ID, INSTAGRAM_APP_SECRET)',
  );
const badToken = (message: string) =>
  new HttpError(400, 'invalid_token', `body.accessToken: ${message}`, [{ path: 'body.accessToken', message }]);

/** The brand's connected account as it is shown: never the token. */
function present(doc: InstagramAccountDoc, warnSeconds: number) {
  const expiresAt = doc.tokenExpiresAt ? new Date(doc.tokenExpiresAt) : null;
  const warning = tokenWarning(expiresAt, new Date(), warnSeconds);
  return { igUserId: doc.igUserId, tokenExpiresAt: expiresAt?.toISOString() ?? null, ...(warning ? { warning } : {}) };
}

export function instagramRouter(deps: ApiDeps): Router {
  const router = Router();
  const warnSeconds = deps.config.IG_TOKEN_WARN_SECONDS;

  router.put('/v1/instagram', requireJson(), jsonBody('8kb'), async (req, res) => {
    const brand = currentBrand(req);
    const body = parse(instagramConnectBody, req.body, 'body');
    if (!deps.instagram) throw notConfigured();
    let expiresAt: Date | null;
    try {
      const debug = await deps.instagram.graph.debugToken(body.accessToken);
      if (!debug.isValid) throw badToken('Instagram says the token is not valid (expired or revoked)');
      expiresAt = debug.expiresAt;
    } catch (err) {
      if (!(err instanceof GraphError)) throw err;
      if (err.invalidToken || err.code === 100) throw badToken('Instagram did not accept the token');
      throw new HttpError(503, 'instagram_unavailable', 'Instagram could not be reached; try again shortly');
    }
    const now = new Date();
    const doc = {
      _id: brand._id,
      igUserId: body.igUserId,
      tokenSealed: sealText(body.accessToken, deps.instagram.dataKey),
      tokenExpiresAt: expiresAt,
      connectedAt: now,
      renewedAt: null,
      renewError: null,
    };
    await deps.repos.instagram.connect(doc);
    deps.logger.info({ brandId: brand._id, igUserId: body.igUserId }, 'instagram account connected');
    res.json(present({ ...doc, tokenRev: 0 }, warnSeconds));
  });

  router.get('/v1/instagram', async (req, res) => {
    const doc = await deps.repos.instagram.account(currentBrand(req)._id);
    if (!doc) throw notFound('instagram account');
    res.json(present(doc, warnSeconds));
  });

  router.delete('/v1/instagram', async (req, res) => {
    const brandId = currentBrand(req)._id;
    if (!(await deps.repos.instagram.disconnect(brandId))) throw notFound('instagram account');
    deps.logger.info({ brandId }, 'instagram account disconnected');
    res.status(204).end();
  });
  return router;
}
