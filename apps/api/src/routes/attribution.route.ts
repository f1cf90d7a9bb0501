import { Router, text } from 'express';
import { parse as parseCsv } from 'csv-parse/sync';
import { attributionRow, attributionUpload, type AttributionRow } from '@seedline/domain';
import { HttpError, jsonBody, parse, requireJson, zodDetails } from '@seedline/http';
import type { ApiDeps } from '../app.js';
import { scopedCampaign } from './campaign-scope.js';

const COLUMNS = ['date', 'clicks', 'detailPageViews', 'addToCarts', 'purchases', 'unitsSold', 'sales'];

/** CSV rows validated one by one; errors name the line (the header is line 1). */
function rowsFromCsv(body: string): AttributionRow[] {
  let records: Record<string, string>[];
  try {
    records = parseCsv(body, { columns: true, skip_empty_lines: true, trim: true, bom: true });
  } catch (err) {
    throw new HttpError(400, 'invalid_csv', `CSV could not be read: ${(err as Error).message}`);
  }
  const header = Object.keys(records[0] ?? {});
  const missing = COLUMNS.filter((c) => !header.includes(c));
  if (records.length === 0) throw new HttpError(400, 'invalid_csv', 'CSV has no data rows');
  if (missing.length) throw new HttpError(400, 'invalid_csv', `CSV header is missing: ${missing.join(', ')}`);
  const rows: AttributionRow[] = [];
  const errors: { path: string; message: string }[] = [];
  records.forEach((record, i) => {
    const picked = Object.fromEntries(COLUMNS.map((c) => [c, record[c]]));
    const result = attributionRow.safeParse(picked);
    if (result.success) rows.push(result.data);
    else errors.push(...zodDetails(result.error, `line ${i + 2}`));
  });
  if (errors.length) throw new HttpError(400, 'invalid_request', `${errors[0]?.path}: ${errors[0]?.message}`, errors);
  return rows;
}

export function attributionRouter(deps: ApiDeps): Router {
  const router = Router();
  router.post(
    '/v1/campaigns/:id/attribution',
    requireJson('text/csv'),
    jsonBody('1mb'),
    text({ type: 'text/csv', limit: '2mb' }),
    async (req, res) => {
      const campaign = await scopedCampaign(deps, req);
      const rows = req.is('text/csv') ? rowsFromCsv(String(req.body ?? '')) : parse(attributionUpload, req.body, 'body').rows;
      const unique = new Map(rows.map((r) => [r.date, r]));
      await deps.repos.attribution.upsertRows(campaign._id, [...unique.values()]);
      res.status(200).json({ campaignId: campaign._id, rows: unique.size });
    },
  );
  return router;
}
