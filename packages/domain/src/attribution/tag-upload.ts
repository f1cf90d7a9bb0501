import { z } from 'zod';
import { instagramHandle } from '../requests/ingest.schema.js';
import { csvRecords, CsvSyntaxError, type CsvRecord } from './csv-records.js';
import type { ReportFailure } from './report-parse.js';
import type { FieldIssue } from './report-row.js';
import { parseAttributionTagUrl, type AttributionTagIds } from './tag-url.js';

export const MAX_TAGS_PER_UPLOAD = 5000;

const tagUrl = z
  .string()
  .max(2048)
  .describe(
    'the Amazon Attribution tag URL as Amazon gives it (https, carrying aa_campaignid, aa_adgroupid and aa_creativeid)',
  )
  .transform((value, ctx) => {
    const parsed = parseAttributionTagUrl(value);
    if (!parsed.ok) {
      ctx.addIssue({ code: 'custom', message: parsed.message });
      return z.NEVER;
    }
    return { url: parsed.url, ...parsed.ids };
  });

export const attributionTagItem = z.strictObject({ instagramHandle, url: tagUrl });
export const attributionTagsUpload = z.strictObject({
  tags: z.array(attributionTagItem).min(1).max(MAX_TAGS_PER_UPLOAD),
});
export const attributionTagsResponse = z.object({
  campaignId: z.string(),
  tags: z.number().int().describe('tags stored (an influencer listed again gets the new URL)'),
});

export interface ParsedTag extends AttributionTagIds {
  /** where the tag was given, for error messages: `body.tags.2` or `line 3` */
  at: string;
  instagramHandle: string;
  url: string;
}
export type TagUploadParse = { ok: true; tags: ParsedTag[] } | { ok: false; error: ReportFailure };

const fail = (code: ReportFailure['code'], details: FieldIssue[]): TagUploadParse => ({
  ok: false,
  error: {
    code,
    message: details[0] ? `${details[0].path}: ${details[0].message}` : code,
    details: details.slice(0, 50),
  },
});

/** One handle, one tag; one tag (creative) for one influencer, or Amazon's figures could not tell them apart. */
function checkDistinct(
  tags: ParsedTag[],
  handlePath: (t: ParsedTag) => string,
  urlPath: (t: ParsedTag) => string,
): TagUploadParse {
  const handles = new Map<string, ParsedTag>();
  const creatives = new Map<string, ParsedTag>();
  const issues: FieldIssue[] = [];
  for (const t of tags) {
    const sameHandle = handles.get(t.instagramHandle);
    const sameCreative = creatives.get(t.creativeId);
    if (sameHandle)
      issues.push({ path: handlePath(t), message: `@${t.instagramHandle} is listed twice (also at ${sameHandle.at})` });
    else if (sameCreative)
      issues.push({
        path: urlPath(t),
        message: `aa_creativeid ${t.creativeId} is already @${sameCreative.instagramHandle}'s tag (${sameCreative.at}): each influencer needs a tag of its own`,
      });
    handles.set(t.instagramHandle, t);
    creatives.set(t.creativeId, t);
  }
  return issues.length ? fail('invalid_request', issues) : { ok: true, tags };
}

const tooManyTags = () =>
  fail('payload_too_large', [
    { path: 'body', message: `more than ${MAX_TAGS_PER_UPLOAD} tags (the limit per upload): upload them in parts` },
  ]);

export function parseTagsJson(body: unknown): TagUploadParse {
  if (typeof body === 'object' && body !== null && 'tags' in body && Array.isArray(body.tags))
    if (body.tags.length > MAX_TAGS_PER_UPLOAD) return tooManyTags();
  const result = attributionTagsUpload.safeParse(body);
  if (!result.success)
    return fail(
      'invalid_request',
      result.error.issues.map((i) => ({ path: ['body', ...i.path.map(String)].join('.'), message: i.message })),
    );
  const tags = result.data.tags.map((t, i) => ({ at: `body.tags.${i}`, instagramHandle: t.instagramHandle, ...t.url }));
  return checkDistinct(
    tags,
    (t) => `${t.at}.instagramHandle`,
    (t) => `${t.at}.url`,
  );
}

const HANDLE_COLUMNS = new Set(['instagramhandle', 'handle', 'instagram', 'username', 'influencer']);
const URL_COLUMNS = new Set([
  'url',
  'tag',
  'tagurl',
  'attributiontag',
  'amazonattributiontag',
  'amazonattributionurl',
  'link',
]);
const plain = (name: string) => name.toLowerCase().replace(/[^a-z0-9]/g, '');

/** `instagramHandle,url` (header first); errors name the line and the column (`line 3.url`). */
export function parseTagsCsv(text: string): TagUploadParse {
  // Read as a stream: past MAX_TAGS_PER_UPLOAD lines nothing more is built.
  const rows: CsvRecord[] = [];
  let header: CsvRecord | undefined;
  try {
    for (const r of csvRecords(text, { skipBlank: true })) {
      if (!header) header = r;
      else if (rows.push(r) > MAX_TAGS_PER_UPLOAD) return tooManyTags();
    }
  } catch (err) {
    if (err instanceof CsvSyntaxError) return fail('invalid_csv', [{ path: `line ${err.line}`, message: err.reason }]);
    throw err;
  }
  const handleAt = header?.cells.findIndex((c) => HANDLE_COLUMNS.has(plain(c))) ?? -1;
  const urlAt = header?.cells.findIndex((c) => URL_COLUMNS.has(plain(c))) ?? -1;
  if (!header || handleAt < 0 || urlAt < 0) {
    return fail('unrecognised_report', [
      { path: 'header', message: 'expected a header row naming the columns instagramHandle and url' },
    ]);
  }
  if (rows.length === 0) return fail('invalid_request', [{ path: 'body', message: 'holds no tags' }]);
  const [handleName, urlName] = [header.cells[handleAt] as string, header.cells[urlAt] as string];
  const issues: FieldIssue[] = [];
  const tags: ParsedTag[] = [];
  for (const r of rows) {
    const result = attributionTagItem.safeParse({
      instagramHandle: r.cells[handleAt] ?? '',
      url: r.cells[urlAt] ?? '',
    });
    if (result.success)
      tags.push({ at: `line ${r.line}`, instagramHandle: result.data.instagramHandle, ...result.data.url });
    else
      for (const i of result.error.issues)
        issues.push({ path: `line ${r.line}.${i.path[0] === 'url' ? urlName : handleName}`, message: i.message });
  }
  if (issues.length) return fail('invalid_request', issues);
  return checkDistinct(
    tags,
    (t) => `${t.at}.${handleName}`,
    (t) => `${t.at}.${urlName}`,
  );
}
