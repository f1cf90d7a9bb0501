import type { RequestHandler } from 'express';
import { bearerToken, safeEqual } from '@seedline/http';

/** Admin routes and Bull Board: `Authorization: Bearer $ADMIN_TOKEN`, or HTTP Basic with it as the password. */
export function adminAuth(adminToken: string, opts: { challenge?: boolean } = {}): RequestHandler {
  return (req, res, next) => {
    const header = req.headers.authorization ?? '';
    let given = bearerToken(header);
    const basic = /^Basic\s+([A-Za-z0-9+/=]+)$/i.exec(header.trim());
    if (!given && basic?.[1]) {
      const decoded = Buffer.from(basic[1], 'base64').toString('utf8');
      given = decoded.slice(decoded.indexOf(':') + 1);
    }
    if (given && safeEqual(given, adminToken)) return next();
    if (opts.challenge) res.setHeader('WWW-Authenticate', 'Basic realm="Seedline ops", charset="UTF-8"');
    res.status(401).json({ error: { code: 'unauthorized', message: 'admin credentials required' } });
  };
}
