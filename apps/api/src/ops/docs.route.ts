import { Router } from 'express';
import { buildOpenApi, type OpenApiOptions } from './openapi.js';
import { HTTP_METHODS, isRef, type JsonSchema, type OpenApiDocument, type Operation } from './openapi-document.js';

const esc = (s: string | number | undefined) =>
  String(s ?? '').replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
  );
/** Backticks in descriptions become code; everything else is escaped. */
const prose = (s: string | undefined) => esc(s).replace(/`([^`]+)`/g, '<code>$1</code>');

const DOCS_CSP =
  "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

const STYLE = `
body{font:15px/1.5 system-ui,sans-serif;margin:0;color:#1d2430;background:#f7f8fa}
main{max-width:980px;margin:0 auto;padding:2rem 1.25rem 4rem}
h1{margin:.2rem 0}h2{margin-top:2.2rem;border-bottom:1px solid #d9dde3;padding-bottom:.3rem}
nav a{margin-right:.8rem}
details{background:#fff;border:1px solid #d9dde3;border-radius:6px;margin:.5rem 0;padding:.3rem .8rem}
summary{cursor:pointer;padding:.35rem 0}
.m{display:inline-block;min-width:4.2rem;font:600 12px/1.8 ui-monospace,monospace;text-transform:uppercase;text-align:center;border-radius:4px;color:#fff;margin-right:.5rem}
.get{background:#2f6fde}.post{background:#1f8a4c}.patch{background:#b7791f}
.p{font-family:ui-monospace,monospace}.auth{color:#6b7480;font-size:13px;margin-left:.5rem}
table{border-collapse:collapse;width:100%;margin:.4rem 0}td,th{border-top:1px solid #eceef1;padding:.3rem .4rem;text-align:left;vertical-align:top;font-size:14px}
pre{background:#f1f3f6;padding:.6rem;border-radius:4px;overflow:auto;font-size:12.5px;max-height:28rem}
code{background:#eef1f5;padding:0 .25rem;border-radius:3px}`;

const ERROR_EXAMPLE = {
  error: {
    code: 'invalid_request',
    message: 'query.limit: Too big: expected number to be <=500',
    details: [{ path: 'query.limit', message: 'Too big: expected number to be <=500' }],
  },
};

function schemaBlock(schema: JsonSchema | typeof ERROR_EXAMPLE | undefined): string {
  return `<pre>${esc(JSON.stringify(schema, null, 2))}</pre>`;
}

function renderOperation(method: string, path: string, op: Operation, server: string | null): string {
  const security = op.security.map((s) => Object.keys(s)[0]).join(' or ') || 'none';
  const params = op.parameters ?? [];
  const paramRows = params
    .map(
      (p) =>
        `<tr><td class="p">${esc(p.name)}</td><td>${esc(p.in)}</td><td>${p.required ? 'yes' : 'no'}</td><td>${prose(p.description ?? '')} <span class="p">${esc(JSON.stringify(p.schema))}</span></td></tr>`,
    )
    .join('');
  const body = op.requestBody
    ? `<h4>Request body (${prose(op.requestBody.description)})</h4>${Object.entries(op.requestBody.content)
        .map(
          ([type, c]) =>
            `<div><code>${esc(type)}</code>${c.example ? `<pre>${esc(c.example)}</pre>` : schemaBlock(c.schema)}</div>`,
        )
        .join('')}`
    : '';
  const responses = Object.entries(op.responses)
    .map(([status, r]) => {
      if (isRef(r)) return `<tr><td class="p">${esc(status)}</td><td>error: see Errors</td></tr>`;
      const content = r.content ? Object.entries(r.content) : [];
      const detail = content
        .map(
          ([type, c]) =>
            `<div><code>${esc(type)}</code>${c.example ? `<pre>${esc(c.example)}</pre>` : c.schema.$ref ? '' : schemaBlock(c.schema)}</div>`,
        )
        .join('');
      return `<tr><td class="p">${esc(status)}</td><td>${prose(r.description)}${detail}</td></tr>`;
    })
    .join('');
  return `<details id="${esc(op.operationId)}"><summary><span class="m ${esc(method)}">${esc(method)}</span><span class="p">${esc(path)}</span> — ${esc(op.summary)}<span class="auth">auth: ${esc(security)}${server ? ` · ${esc(server)}` : ''}</span></summary>
${op.description ? `<p>${prose(op.description)}</p>` : ''}
${params.length ? `<h4>Parameters</h4><table><tr><th>name</th><th>in</th><th>required</th><th>schema</th></tr>${paramRows}</table>` : ''}
${body}
<h4>Responses</h4><table>${responses}</table></details>`;
}

/** The OpenAPI document rendered as one self-contained page: no script, no CDN (works offline). */
export function renderDocs(spec: OpenApiDocument): string {
  const byTag = new Map<string, string[]>();
  for (const [path, item] of Object.entries(spec.paths)) {
    const server = item.servers?.[0]?.description ?? null;
    for (const method of HTTP_METHODS) {
      const op = item[method];
      if (!op) continue;
      const tag = op.tags[0] ?? 'Other';
      byTag.set(tag, [...(byTag.get(tag) ?? []), renderOperation(method, path, op, server)]);
    }
  }
  const schemes = Object.entries(spec.components.securitySchemes)
    .map(
      ([name, s]) =>
        `<tr><td class="p">${esc(name)}</td><td>${esc(s.scheme)}</td><td>${prose(s.description)}</td></tr>`,
    )
    .join('');
  const sections = [...byTag].map(([tag, ops]) => `<h2 id="${esc(tag)}">${esc(tag)}</h2>${ops.join('\n')}`).join('\n');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${esc(spec.info.title)} reference</title><style>${STYLE}</style></head><body><main>
<h1>${esc(spec.info.title)} <small>${esc(spec.info.version)}</small></h1>
<p>${prose(spec.info.description)}</p>
<nav>${[...byTag.keys()].map((t) => `<a href="#${esc(t)}">${esc(t)}</a>`).join('')}<a href="/openapi.json">openapi.json</a></nav>
<h2 id="auth">Authentication</h2><table><tr><th>scheme</th><th>type</th><th>credential</th></tr>${schemes}</table>
<h2 id="errors">Errors</h2><p>Every error is JSON; <code>details</code> names each failing field by path:</p>${schemaBlock(ERROR_EXAMPLE)}
${sections}
<h2 id="schemas">Event schemas</h2><p><code>data</code> of <code>event: status</code> on the live stream:</p>${schemaBlock(spec.components.schemas.StatusEvent)}
</main></body></html>`;
}

export function docsRouter(opts: OpenApiOptions): Router {
  const spec = buildOpenApi(opts);
  const page = renderDocs(spec);
  const router = Router();
  router.get('/openapi.json', (_req, res) => void res.json(spec));
  router.get('/docs', (_req, res) => {
    res.setHeader('Content-Security-Policy', DOCS_CSP);
    res.type('html').send(page);
  });
  return router;
}
