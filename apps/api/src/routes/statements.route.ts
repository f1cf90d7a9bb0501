import { Router, type Request } from 'express';
import type { BrandDoc } from '@seedline/db';
import { parseWeek, statementListQuery, type IsoWeek } from '@seedline/domain';
import { HttpError, notFound, parse } from '@seedline/http';
import type { ApiDeps } from '../deps.js';
import { currentBrand } from '../auth/brand-auth.js';
import { statementCsv } from '../presenters/statement.presenter.js';
import { statementOf, weekRange } from '../statements/statements.js';

function weekParam(text: string | undefined, path: string): IsoWeek | null {
  if (text === undefined) return null;
  const parsed = parseWeek(text);
  if (parsed.ok) return parsed.week;
  throw new HttpError(400, 'invalid_request', `${path}: ${parsed.message}`, [{ path, message: parsed.message }]);
}

/** The brand as stored now (its zone history), not as the auth cache last saw it. */
async function freshBrand(deps: ApiDeps, req: Request): Promise<BrandDoc> {
  const brand = await deps.repos.brands.findById(currentBrand(req)._id);
  if (!brand) throw notFound('brand');
  // The payouts worker applies a waiting return as its payout settles; this catches one it missed (killed
  // between the two writes), so a statement never shows a settled payout without its return's credit.
  await deps.repos.returns.settlePending(brand._id);
  return brand;
}

/** Weekly statements of what the brand paid out and got back, in the brand's time zone. */
export function statementsRouter(deps: ApiDeps): Router {
  const router = Router();

  router.get('/v1/statements', async (req, res) => {
    const query = parse(statementListQuery, req.query, 'query');
    const brand = await freshBrand(deps, req);
    const now = Date.now();
    const weeks = weekRange(brand, weekParam(query.from, 'query.from'), weekParam(query.to, 'query.to'), now);
    const items = [];
    for (const week of weeks) {
      const s = await statementOf(deps, brand, week, now).catch((err: unknown) => {
        if (err instanceof HttpError && err.code === 'week_not_started') return null;
        throw err;
      });
      if (s) items.push({ ...s, lines: s.lines.length });
    }
    res.json({ items });
  });

  router.get('/v1/statements/:week.csv', async (req, res) => {
    const week = weekParam(String(req.params.week), 'params.week') as IsoWeek;
    const statement = await statementOf(deps, await freshBrand(deps, req), week);
    res
      .type('text/csv; charset=utf-8')
      .set('Content-Disposition', `attachment; filename="statement-${statement.week}.csv"`)
      .send(statementCsv(statement));
  });

  router.get('/v1/statements/:week', async (req, res) => {
    const week = weekParam(String(req.params.week), 'params.week') as IsoWeek;
    res.json(await statementOf(deps, await freshBrand(deps, req), week));
  });
  return router;
}
