import { createHash } from 'node:crypto';
import { escapeHtml } from '@seedline/domain';

/** A CSP source pinning an inline script or style by its hash, so no 'unsafe-inline' is needed. */
export const sha256Source = (s: string) => `'sha256-${createHash('sha256').update(s).digest('base64')}'`;

/** The skeleton of the ingest's public pages: not indexed, phone-sized, with the page's own (hash-pinned) style. */
export function htmlPage(title: string, style: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<meta name="robots" content="noindex"><title>${escapeHtml(title)}</title><style>${style}</style></head><body><main>${body}</main></body></html>`;
}
