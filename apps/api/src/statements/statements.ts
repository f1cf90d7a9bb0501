import type { BrandDoc } from '@seedline/db';
import {
  addWeeks,
  buildStatement,
  formatWeek,
  statementLine,
  statementResponse,
  weekBounds,
  weekContaining,
  type IsoWeek,
  type StatementLine,
  type StatementResponse,
} from '@seedline/domain';
import { HttpError } from '@seedline/http';
import type { ApiDeps } from '../deps.js';
import { presentStatement } from '../presenters/statement.presenter.js';

export const MAX_LISTED_WEEKS = 53;

/**
 * A brand's statement of one week. An open week is read from the ledger on every request; a closed one is
 * built once and frozen, so it never changes after the brand has seen it (late moves are recorded in later
 * weeks anyway; freezing also keeps campaign renames out of it).
 */
export async function statementOf(
  deps: ApiDeps,
  brand: BrandDoc,
  week: IsoWeek,
  nowMs = Date.now(),
): Promise<StatementResponse> {
  const bounds = weekBounds(brand.timezoneHistory ?? [], week);
  if (bounds.start > nowMs) throw new HttpError(404, 'week_not_started', `${bounds.week} has not started yet`);
  const closed = bounds.end <= nowMs;
  const store = deps.repos.statements;
  if (closed) {
    const kept = (await store.frozen(brand._id, [bounds.week])).get(bounds.week);
    if (kept !== undefined) return statementResponse.parse(kept);
  }
  const { moves, contexts } = await store.moves(brand._id, bounds.start, bounds.end);
  const lines: StatementLine[] = [];
  for (const m of moves) {
    const ctx = contexts.get(m.reimbursementId);
    const line = ctx ? statementLine(m, ctx) : null;
    if (line) lines.push(line);
  }
  const body = presentStatement(buildStatement(bounds, closed, lines));
  return closed ? statementResponse.parse(await store.freeze(brand._id, bounds.week, body)) : body;
}

/** The weeks from `from` to `to` (default: the 12 weeks up to the one in progress), at most 53. */
export function weekRange(brand: BrandDoc, from: IsoWeek | null, to: IsoWeek | null, nowMs = Date.now()): IsoWeek[] {
  const last = to ?? weekContaining(brand.timezoneHistory ?? [], nowMs);
  const first = from ?? addWeeks(last, -11);
  if (formatWeek(first) > formatWeek(last)) {
    throw new HttpError(400, 'invalid_request', 'query.from: must not be after `to`', [
      { path: 'query.from', message: 'must not be after `to`' },
    ]);
  }
  const weeks: IsoWeek[] = [];
  for (let w = first; formatWeek(w) <= formatWeek(last); w = addWeeks(w, 1)) {
    if (weeks.length === MAX_LISTED_WEEKS) {
      throw new HttpError(400, 'invalid_request', `query.to: at most ${MAX_LISTED_WEEKS} weeks at once`, [
        { path: 'query.to', message: `at most ${MAX_LISTED_WEEKS} weeks at once` },
      ]);
    }
    weeks.push(w);
  }
  return weeks;
}
