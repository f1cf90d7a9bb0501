import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { dashboardDir } from '@seedline/dashboard';
import express, { Router, type Response } from 'express';

/**
 * Everything the page loads comes from this origin: no inline script or style, so an injected string can
 * never run; the API key lives in sessionStorage and only travels in Authorization headers to 'self'.
 */
export const DASHBOARD_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  // the reminder preview's sandboxed frame (email-frame.html)
  "frame-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/**
 * The reminder preview's frame: an email's own inline styles must apply there, so it gets its own policy. It is
 * loaded sandboxed (opaque origin, no access to the dashboard); only our script runs in it, no image or request
 * leaves it, and only the dashboard may frame it.
 */
export const EMAIL_FRAME_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'unsafe-inline'",
  'img-src data:',
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'self'",
].join('; ');
const EMAIL_FRAME = 'email-frame';

function secureHeaders(res: Response): void {
  res.setHeader('Content-Security-Policy', DASHBOARD_CSP);
  res.setHeader('Referrer-Policy', 'no-referrer');
  res.setHeader('X-Content-Type-Options', 'nosniff');
}

/** index.html with a modulepreload per client module, so the browser fetches them in parallel, not in a waterfall. */
function renderIndex(publicDir: string): string {
  const jsDir = join(publicDir, 'js');
  const modules = readdirSync(jsDir)
    .filter((f) => f.endsWith('.js') && f !== 'main.js' && f !== `${EMAIL_FRAME}.js`)
    .sort();
  const preloads = modules.map((f) => `<link rel="modulepreload" href="/dashboard/js/${f}">`).join('\n');
  return readFileSync(join(publicDir, 'index.html'), 'utf8').replace('<!-- modulepreload -->', preloads);
}

/**
 * The reference brand dashboard: the static files of the `@seedline/dashboard` workspace (apps/dashboard, built
 * into its dist/), served at `/dashboard` with a strict Content-Security-Policy. It talks to the same API as any
 * other client.
 */
export function dashboardRouter(opts: { publicDir?: string } = {}): Router {
  const publicDir = opts.publicDir ?? dashboardDir;
  const router = Router();
  let index: string | null = null;

  router.get(['/dashboard', '/dashboard/'], (_req, res) => {
    // Read on first use rather than at start, so an API started while a build runs still serves it once ready.
    if (index === null && existsSync(join(publicDir, 'index.html'))) index = renderIndex(publicDir);
    if (index === null) {
      res
        .status(503)
        .type('text/plain')
        .send('The dashboard is not built: run `npm run build -w @seedline/dashboard`.');
      return;
    }
    secureHeaders(res);
    // The page is tiny and changes with every release: always revalidate.
    res.setHeader('Cache-Control', 'no-cache');
    res.type('html').send(index);
  });
  router.use(
    '/dashboard',
    express.static(publicDir, {
      index: false,
      redirect: false,
      dotfiles: 'ignore',
      maxAge: 0,
      setHeaders: (res, path) => {
        secureHeaders(res);
        if (basename(path) === `${EMAIL_FRAME}.html`) res.setHeader('Content-Security-Policy', EMAIL_FRAME_CSP);
        // The sandboxed frame has an opaque origin: its (public) script is a cross-origin load for it.
        if (basename(path) === `${EMAIL_FRAME}.js`) res.setHeader('Cross-Origin-Resource-Policy', 'cross-origin');
      },
    }),
  );
  return router;
}
