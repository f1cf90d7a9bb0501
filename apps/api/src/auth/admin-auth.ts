import type { RequestHandler } from 'express';
import { bearerToken, clientKey, refusedForFailures, safeEqual, type KeyWindowLimiter } from '@seedline/http';

/**
 * Admin routes and Bull Board: `Authorization: Bearer $ADMIN_TOKEN`, or HTTP Basic with it as the password.
 * Wrong tokens are counted per client (an IPv6 client by its /64); past the limit, the client's requests are
 * refused before the token is compared, so a right guess inside a refused window is not told apart from a
 * wrong one.
 */
export function adminAuth(
  adminToken: string,
  failures: Pick<KeyWindowLimiter, 'hit' | 'waitOf'>,
  opts: { challenge?: boolean } = {},
): RequestHandler {
  return (req, res, next) => {
    const client = clientKey(req.ip);
    const refused = refusedForFailures(failures, client, 'failed admin logins');
    if (refused) return next(refused);
    const header = req.headers.authorization ?? '';
    let given = bearerToken(header);
    const basic = /^Basic\s+([A-Za-z0-9+/=]+)$/i.exec(header.trim());
    if (!given && basic?.[1]) {
      const decoded = Buffer.from(basic[1], 'base64').toString('utf8');
      given = decoded.slice(decoded.indexOf(':') + 1);
    }
    if (given && safeEqual(given, adminToken)) return next();
    // A request with no credentials is how a browser asks for the Basic prompt: only a wrong token is a guess.
    if (given) failures.hit(client);
    if (opts.challenge) res.setHeader('WWW-Authenticate', 'Basic realm="Seedline ops", charset="UTF-8"');
    res.status(401).json({ error: { code: 'unauthorized', message: 'admin credentials required' } });
  };
}
