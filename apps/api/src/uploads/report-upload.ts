import type { Request } from 'express';
import { AmazonReportReader, type ReportKind, type ReportRead } from '@seedline/domain';
import { HttpError } from '@seedline/http';

/** Reports above this are refused before (or while) they are read: about 100,000 rows of an orders report. */
export const REPORT_UPLOAD_LIMIT_BYTES = 20 * 1024 * 1024;
export const REPORT_UPLOAD_LIMIT = '20 MB';

const MEDIA_TYPES = ['text/plain', 'text/tab-separated-values', 'text/csv', 'application/octet-stream'];

const tooLarge = () =>
  new HttpError(413, 'payload_too_large', `the report is larger than ${REPORT_UPLOAD_LIMIT}: split it by date range`, [
    { path: 'body', message: `larger than ${REPORT_UPLOAD_LIMIT}` },
  ]);

/**
 * Reads an Amazon report from the request body as it arrives, chunk by chunk, into the domain's reader: the
 * text is never held whole, and reading stops at the size cap or at the first fatal problem. Decoding is
 * lenient (bytes that are not UTF-8, as in a Windows-1252 product name, become U+FFFD): only ids, dates and
 * amounts are read, and those are ASCII.
 */
export async function readReportUpload(
  req: Request,
  accept: readonly ReportKind[],
): Promise<Exclude<ReportRead, { ok: false }>> {
  if (!req.is(MEDIA_TYPES)) {
    throw new HttpError(
      415,
      'unsupported_media_type',
      `Content-Type must be ${MEDIA_TYPES.join(', ')} (the report as downloaded)`,
    );
  }
  const declared = Number.parseInt(req.headers['content-length'] ?? '', 10);
  if (Number.isFinite(declared) && declared > REPORT_UPLOAD_LIMIT_BYTES) throw tooLarge();
  const reader = new AmazonReportReader(accept);
  const decoder = new TextDecoder('utf-8');
  let bytes = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    bytes += chunk.length;
    if (bytes > REPORT_UPLOAD_LIMIT_BYTES) throw tooLarge();
    reader.push(decoder.decode(chunk, { stream: true }));
    if (reader.failed) break;
  }
  if (!reader.failed) reader.push(decoder.decode());
  const read = reader.end();
  if (!read.ok) throw new HttpError(400, read.error.code, read.error.message, read.error.details);
  return read;
}
