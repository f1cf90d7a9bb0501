import { Router, text, type Request, type RequestHandler } from 'express';
import {
  attributionUploadedDraft,
  influencerIdFor,
  MAX_REPORT_ROWS,
  parseReportCsvYielding,
  parseReportJsonYielding,
  parseTagsCsv,
  parseTagsJson,
  type ReportFailure,
} from '@seedline/domain';
import { boundedJsonBody, HttpError, requireJson } from '@seedline/http';
import { announceCampaignChange, touchLiveSummaries } from '@seedline/runtime';
import type { ApiDeps } from '../deps.js';
import { scopedCampaign } from './campaign-scope.js';

const UPLOAD_LIMIT = '8mb';
const UPLOAD_TOO_LARGE = 'an upload is limited to 8 MB (8388608 bytes): upload the report in parts';
// Values a JSON upload may hold: 48 per row (Amazon's API rows carry about 20 fields) for MAX_REPORT_ROWS rows.
const MAX_JSON_VALUES = 48 * MAX_REPORT_ROWS;
const JSON_TOO_LARGE = `an upload holds at most ${MAX_REPORT_ROWS} rows (${MAX_JSON_VALUES} JSON values): upload the report in parts`;

const rejected = (e: ReportFailure) =>
  new HttpError(e.code === 'payload_too_large' ? 413 : 400, e.code, e.message, e.details);

/** A body parser whose "too large" names the limit (body-parser's own message does not). */
const namingLimit =
  (parser: RequestHandler): RequestHandler =>
  (req, res, next) =>
    parser(req, res, (err?: unknown) => {
      const tooLarge = typeof err === 'object' && err !== null && 'type' in err && err.type === 'entity.too.large';
      const named = [{ path: 'body', message: UPLOAD_TOO_LARGE }];
      next(tooLarge ? new HttpError(413, 'payload_too_large', UPLOAD_TOO_LARGE, named) : err);
    });
const csvBody = (req: Request) => (req.is('text/csv') ? String(req.body ?? '') : null);

/**
 * Amazon Attribution uploads: report rows in any shape Amazon exports (recognised by their header, parsed in
 * the domain, all-or-nothing), and each influencer's own tag, which its purchase link then redirects to.
 */
export function attributionRouter(deps: ApiDeps): Router {
  const router = Router();
  const bodies = [
    requireJson('text/csv'),
    ...boundedJsonBody(UPLOAD_LIMIT, MAX_JSON_VALUES, JSON_TOO_LARGE).map(namingLimit),
    namingLimit(text({ type: 'text/csv', limit: UPLOAD_LIMIT })),
  ];

  router.post('/v1/campaigns/:id/attribution', ...bodies, async (req, res) => {
    const campaign = await scopedCampaign(deps, req);
    const csv = csvBody(req);
    // Yielding: building 10,000 rows takes long enough to be felt by every other request if done in one go.
    const parsed = await (csv === null ? parseReportJsonYielding(req.body) : parseReportCsvYielding(csv));
    if (!parsed.ok) throw rejected(parsed.error);
    const uploadedAt = new Date();
    const stored = await deps.repos.attribution.storeReport(campaign._id, parsed.rows);
    // The summary's attribution moved: dashboards watching the campaign get it now, not at the next status change.
    await touchLiveSummaries(deps.redis, deps.config.QUEUE_PREFIX, [campaign._id]);
    const days = parsed.rows.flatMap((r) => [r.from, r.to]).sort();
    await deps.webhooks.emit([
      attributionUploadedDraft({
        brandId: campaign.brandId,
        campaignId: campaign._id,
        parsedRows: parsed.rows,
        stored,
        reportedFrom: days[0] ?? null,
        reportedThrough: days.at(-1) ?? null,
        uploadedAt,
      }),
    ]);
    res
      .status(200)
      .json({ campaignId: campaign._id, ...stored, reportedFrom: days[0], reportedThrough: days[days.length - 1] });
  });

  router.post('/v1/campaigns/:id/attribution-tags', ...bodies, async (req, res) => {
    const campaign = await scopedCampaign(deps, req);
    const csv = csvBody(req);
    const parsed = csv === null ? parseTagsJson(req.body) : parseTagsCsv(csv);
    if (!parsed.ok) throw rejected(parsed.error);
    const tagsRepo = deps.repos.attribution.tags;
    const listed = await tagsRepo.listedHandles(
      campaign._id,
      parsed.tags.map((t) => t.instagramHandle),
    );
    const unknown = parsed.tags.filter((t) => !listed.has(t.instagramHandle));
    if (unknown.length) {
      const details = unknown.map((t) => ({
        path: `${t.at}.instagramHandle`,
        message: `@${t.instagramHandle} has not signed up to this campaign`,
      }));
      throw new HttpError(
        400,
        'unknown_influencer',
        `unknown influencer${unknown.length > 1 ? 's' : ''}: ${unknown.map((t) => `@${t.instagramHandle}`).join(', ')}`,
        details,
      );
    }
    // A creative already given to another influencer (in an earlier upload) would mix two people's figures.
    const incoming = new Set(parsed.tags.map((t) => t.instagramHandle));
    const taken = new Map(
      (await tagsRepo.forCampaign(campaign._id))
        .filter((t) => !incoming.has(t.instagramHandle))
        .map((t) => [t.creativeId, t.instagramHandle]),
    );
    const clashes = parsed.tags.filter((t) => taken.has(t.creativeId));
    if (clashes.length) {
      const details = clashes.map((t) => ({
        path: `${t.at}.url`,
        message: `aa_creativeid ${t.creativeId} is already @${taken.get(t.creativeId)}'s tag`,
      }));
      throw new HttpError(400, 'invalid_request', `${details[0]?.path}: ${details[0]?.message}`, details);
    }
    await tagsRepo.store(
      campaign._id,
      parsed.tags.map((t) => ({
        _id: influencerIdFor(campaign._id, t.instagramHandle),
        instagramHandle: t.instagramHandle,
        url: t.url,
        amazonCampaignId: t.amazonCampaignId,
        adGroupId: t.adGroupId,
        creativeId: t.creativeId,
      })),
    );
    // Purchase links of tagged influencers now lead to their tags: tell the ingest's cache at once.
    await announceCampaignChange(deps.redis, deps.config.QUEUE_PREFIX, campaign._id, deps.logger);
    res.status(200).json({ campaignId: campaign._id, tags: parsed.tags.length });
  });
  return router;
}
