import { timingSafeEqual } from 'node:crypto';
import express, { Router } from 'express';
import { igWebhookPayload, jobIdFor, JOB_CATALOGUE, verifyHubSignature } from '@seedline/domain';
import type { InstagramMentionDoc } from '@seedline/db';
import { HttpError } from '@seedline/http';
import { RepeatFilter } from '@seedline/runtime';
import type { ApiDeps } from '../deps.js';

const sameText = (a: string, b: string) => {
  const x = Buffer.from(a, 'utf8');
  const y = Buffer.from(b, 'utf8');
  return x.length === y.length && timingSafeEqual(x, y);
};

/**
 * Meta's Instagram webhook (`mentions`), without brand auth: the subscription handshake answers `hub.challenge`
 * when `hub.verify_token` is INSTAGRAM_VERIFY_TOKEN; a notification must carry `X-Hub-Signature-256` (HMAC-SHA256
 * of the raw body with INSTAGRAM_APP_SECRET, compared in constant time) or is refused with 401 and nothing kept.
 * Meta stores no notification, so each is stored on receipt, then read by the worker.
 */
export function instagramWebhookRouter(deps: ApiDeps): Router {
  const router = Router();
  router.get('/v1/instagram/webhook', (req, res) => {
    const q = req.query as Record<string, unknown>;
    const expected = deps.config.INSTAGRAM_VERIFY_TOKEN;
    const token = typeof q['hub.verify_token'] === 'string' ? q['hub.verify_token'] : '';
    const challenge = typeof q['hub.challenge'] === 'string' ? q['hub.challenge'] : '';
    if (q['hub.mode'] !== 'subscribe' || !expected || !sameText(token, expected) || !/^[\w-]{1,256}$/.test(challenge)) {
      throw new HttpError(403, 'forbidden', 'webhook verification failed');
    }
    res.type('text/plain').send(challenge);
  });

  const refusals = new RepeatFilter(10_000);
  router.post('/v1/instagram/webhook', express.raw({ type: () => true, limit: '256kb' }), async (req, res) => {
    const secret = deps.config.INSTAGRAM_APP_SECRET;
    const raw = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    const signature = req.header('x-hub-signature-256');
    if (!secret || !verifyHubSignature(raw, signature, secret)) {
      // Anyone can post here: a flood of forgeries is one line per 10 s, with how many were held back.
      const held = refusals.admit(signature ? 'signed' : 'unsigned');
      if (held !== null)
        deps.logger.warn(
          { hasSignature: !!signature, ...(held ? { repeats: held } : {}) },
          'instagram webhook refused: bad signature',
        );
      throw new HttpError(401, 'invalid_signature', 'X-Hub-Signature-256 does not match the body');
    }
    let json: unknown;
    try {
      json = JSON.parse(raw.toString('utf8'));
    } catch {
      throw new HttpError(400, 'invalid_request', 'body: not JSON', [{ path: 'body', message: 'not JSON' }]);
    }
    const parsed = igWebhookPayload.safeParse(json);
    if (!parsed.success) {
      throw new HttpError(400, 'invalid_request', 'body: not an Instagram webhook notification', [
        { path: 'body', message: 'not an Instagram webhook notification' },
      ]);
    }
    const receivedAt = new Date();
    const mentions: InstagramMentionDoc[] = [];
    for (const entry of parsed.data.entry) {
      for (const change of entry.changes) {
        const mediaId = change.value.media_id;
        // Comment mentions (comment_id) name no post of an influencer: not ours to verify.
        if (change.field !== 'mentions' || !mediaId || change.value.comment_id || !/^\d{1,40}$/.test(mediaId)) continue;
        mentions.push({
          _id: `${entry.id}-${mediaId}`,
          igUserId: entry.id,
          mediaId,
          receivedAt,
          state: 'received',
          shortcode: null,
          media: null,
        });
      }
    }
    await deps.repos.instagram.storeMentions(mentions);
    if (mentions.length) {
      await deps.queues.instagram.addBulk(
        mentions.map((m) => ({
          name: 'instagram',
          data: { task: 'mention', mentionId: m._id },
          opts: { ...JOB_CATALOGUE.instagram.options, jobId: jobIdFor('igm', m._id) } as never,
        })),
      );
    }
    res.status(200).type('text/plain').send('EVENT_RECEIVED');
  });
  return router;
}
