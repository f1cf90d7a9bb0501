import { randomBytes } from 'node:crypto';
import { Router, type Request } from 'express';
import {
  newWebhookSecret,
  sealWebhookSecret,
  webhookBody,
  webhookDeliveriesQuery,
  webhookEndpointCreateRequest,
  webhookEndpointUpdateRequest,
  webhookMessageIdFor,
  webhookRecoverRequest,
} from '@seedline/domain';
import { badCursor, HttpError, jsonBody, notFound, parse, requireJson } from '@seedline/http';
import { deliveryIdFor, queueAttempt, refusedDestination, systemResolver, type Resolver } from '@seedline/runtime';
import { newDelivery, type WebhookEndpointDoc } from '@seedline/db';
import type { ApiDeps } from '../deps.js';
import { currentBrand } from '../auth/brand-auth.js';
import {
  deliveryCursor,
  parseDeliveryCursor,
  presentDelivery,
  presentEndpoint,
} from '../presenters/webhook.presenter.js';

const BASE = '/v1/webhook-endpoints';
const MAX_ENDPOINTS = 20;
const RECOVER_MAX = 5000;

/** A brand's webhook endpoints, their deliveries and replays. Another brand's endpoint answers 404. */
export function webhookEndpointsRouter(deps: ApiDeps, resolver: Resolver = systemResolver): Router {
  const router = Router();
  const policy = { allowPrivate: deps.config.WEBHOOK_ALLOW_PRIVATE, resolver };
  const { webhookEndpoints: endpoints, webhookDeliveries: deliveries } = deps.repos;
  // Secrets are sealed before they are stored: the plain one is only ever in the response that shows it once.
  const seal = (secret: string) => sealWebhookSecret(secret, deps.config.DATA_KEY);

  async function checkUrl(url: string): Promise<void> {
    const refused = await refusedDestination(url, policy);
    if (refused)
      throw new HttpError(400, 'invalid_webhook_url', `url ${refused}`, [{ path: 'body.url', message: refused }]);
  }
  async function scoped(req: Request): Promise<WebhookEndpointDoc> {
    const endpoint = await endpoints.find(currentBrand(req)._id, String(req.params.endpointId));
    if (!endpoint) throw notFound('webhook endpoint');
    return endpoint;
  }
  /** The endpoint, if it takes deliveries: a send to a disabled one would only be closed unsent by the worker. */
  async function sendable(req: Request): Promise<WebhookEndpointDoc> {
    const endpoint = await scoped(req);
    if (endpoint.disabledAt)
      throw new HttpError(
        409,
        'endpoint_disabled',
        'the endpoint is disabled: enable it first (PATCH with {"enabled": true})',
        { disabledReason: endpoint.disabledReason ?? null },
      );
    return endpoint;
  }

  router.post(BASE, requireJson(), jsonBody(), async (req, res) => {
    const body = parse(webhookEndpointCreateRequest, req.body, 'body');
    const brandId = currentBrand(req)._id;
    await checkUrl(body.url);
    if ((await endpoints.countFor(brandId)) >= MAX_ENDPOINTS)
      throw new HttpError(409, 'too_many_endpoints', `a brand may have at most ${MAX_ENDPOINTS} webhook endpoints`);
    const secret = newWebhookSecret();
    const endpoint = await endpoints.create({
      brandId,
      url: body.url,
      events: body.events ?? [],
      description: body.description ?? null,
      secrets: [{ secret: seal(secret), expiresAt: null }],
    });
    deps.webhooks.forget(brandId);
    res
      .status(201)
      .location(`${BASE}/${endpoint._id}`)
      .json({ ...presentEndpoint(endpoint), secret });
  });
  router.get(BASE, async (req, res) => {
    res.json({ items: (await endpoints.list(currentBrand(req)._id)).map(presentEndpoint) });
  });
  router.get(`${BASE}/:endpointId`, async (req, res) => {
    res.json(presentEndpoint(await scoped(req)));
  });
  router.patch(`${BASE}/:endpointId`, requireJson(), jsonBody(), async (req, res) => {
    const endpoint = await scoped(req);
    const change = parse(webhookEndpointUpdateRequest, req.body, 'body');
    const set: Partial<WebhookEndpointDoc> = {};
    if (change.url !== undefined) {
      await checkUrl(change.url);
      set.url = change.url;
    }
    if (change.events !== undefined) set.events = change.events;
    if (change.description !== undefined) set.description = change.description;
    if (change.enabled === true) Object.assign(set, { disabledAt: null, disabledReason: null, failingSince: null });
    if (change.enabled === false) Object.assign(set, { disabledAt: new Date(), disabledReason: null });
    const after = await endpoints.update(endpoint.brandId, endpoint._id, set);
    if (!after) throw notFound('webhook endpoint');
    deps.webhooks.forget(endpoint.brandId);
    res.json(presentEndpoint(after));
  });
  router.delete(`${BASE}/:endpointId`, async (req, res) => {
    const endpoint = await scoped(req);
    if (!(await endpoints.remove(endpoint.brandId, endpoint._id))) throw notFound('webhook endpoint');
    deps.webhooks.forget(endpoint.brandId);
    res.status(204).end();
  });
  router.post(`${BASE}/:endpointId/rotate-secret`, async (req, res) => {
    const endpoint = await scoped(req);
    const now = Date.now();
    const expiresAt = new Date(now + deps.config.WEBHOOK_SECRET_OVERLAP_SECONDS * 1000);
    const secret = newWebhookSecret();
    // The new secret signs first; the one it replaces keeps signing until the overlap ends; older ones go. The
    // previous one stays as stored (sealed, or plain until the worker's first delivery seals it).
    const previous = endpoint.secrets[0];
    const secrets = [
      { secret: seal(secret), expiresAt: null },
      ...(previous ? [{ secret: previous.secret, expiresAt }] : []),
    ];
    if (!(await endpoints.update(endpoint.brandId, endpoint._id, { secrets }))) throw notFound('webhook endpoint');
    res.json({ secret, previousSecretExpiresAt: expiresAt.toISOString() });
  });
  router.post(`${BASE}/:endpointId/test`, async (req, res) => {
    const endpoint = await sendable(req);
    const now = new Date();
    const messageId = webhookMessageIdFor('ping', randomBytes(12).toString('hex'));
    const id = deliveryIdFor(endpoint._id, messageId);
    const body = webhookBody('ping', now.toISOString(), { endpointId: endpoint._id });
    await deliveries.recordDeliveries([
      newDelivery({ _id: id, endpointId: endpoint._id, brandId: endpoint.brandId, messageId, type: 'ping', body }, now),
    ]);
    await queueAttempt(deps.queues, [id], 0, 0);
    res.status(202).json({ deliveryId: id, messageId });
  });
  router.get(`${BASE}/:endpointId/deliveries`, async (req, res) => {
    const endpoint = await scoped(req);
    const q = parse(webhookDeliveriesQuery, req.query, 'query');
    const after = q.cursor === undefined ? undefined : parseDeliveryCursor(q.cursor, endpoint._id);
    if (after === null) throw badCursor();
    const page = await deliveries.page(endpoint.brandId, endpoint._id, { status: q.status, after, limit: q.limit + 1 });
    const items = page.slice(0, q.limit);
    const last = items.at(-1);
    res.json({
      items: items.map(presentDelivery),
      nextCursor: page.length > q.limit && last ? deliveryCursor(last) : null,
    });
  });
  router.post(`${BASE}/:endpointId/deliveries/:deliveryId/retry`, async (req, res) => {
    const endpoint = await sendable(req);
    const delivery = await deliveries.find(endpoint.brandId, endpoint._id, String(req.params.deliveryId));
    if (!delivery) throw notFound('delivery');
    const round = await deliveries.restart(delivery._id);
    if (round === null) throw new HttpError(409, 'delivery_pending', 'the delivery is still being attempted');
    await queueAttempt(deps.queues, [delivery._id], round, 0);
    res.status(202).json({ deliveryId: delivery._id });
  });
  router.post(`${BASE}/:endpointId/recover`, requireJson(), jsonBody(), async (req, res) => {
    const endpoint = await sendable(req);
    const { since } = parse(webhookRecoverRequest, req.body, 'body');
    let requeued = 0;
    for (const d of await deliveries.failedSince(endpoint._id, new Date(since), RECOVER_MAX)) {
      const round = await deliveries.restart(d._id);
      if (round === null) continue;
      await queueAttempt(deps.queues, [d._id], round, 0);
      requeued++;
    }
    res.status(202).json({ requeued });
  });
  return router;
}
