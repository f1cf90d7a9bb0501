import { describe, expect, it } from 'vitest';
import { addWeeks, formatWeek, weekOfInstant } from './iso-week.js';
import { buildStatement, statementLine, type LedgerMove, type Statement } from './statement.js';
import { scheduleZoneChange, weekBounds, weekContaining, type ZoneChange } from './zone-schedule.js';

/**
 * A model test of statements over random histories: payouts confirmed late (in a later week than their
 * approval), returns before and after payment, reversed payments, three currencies, and the brand changing
 * its zone along the way. Checks that (1) over all weeks, statement totals equal the ledger to the cent,
 * (2) every paying move is on exactly one statement, and (3) a week that had closed at some moment reads the
 * same at the end, after later moves and later zone changes.
 */
const HOUR = 3_600_000;
const ZONES = ['UTC', 'Europe/Berlin', 'America/Los_Angeles', 'Asia/Tokyo', 'Pacific/Kiritimati', 'Pacific/Pago_Pago'];
const CURRENCIES = ['USD', 'EUR', 'JPY'];

function prng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

interface History {
  moves: LedgerMove[];
  zoneChanges: { at: number; zone: string }[];
  finalState: Map<string, { state: string; amount: number; currency: string }>;
}

function randomHistory(seed: number): History {
  const random = prng(seed);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(random() * xs.length)] as T;
  const start = Date.parse('2026-10-01T00:00:00Z');
  const span = 120 * 24 * HOUR;
  const moves: LedgerMove[] = [];
  const finalState = new Map<string, { state: string; amount: number; currency: string }>();
  let n = 0;
  const move = (r: string, at: number, from: string, to: string, amount: number, currency: string) =>
    moves.push({
      entryId: `${r}-${++n}`,
      reimbursementId: r,
      campaignId: `c${r.length % 3}`,
      at,
      from,
      to,
      amount,
      currency,
      providerRef: to === 'paid' ? `PAY-${r}` : null,
    });
  for (let i = 0; i < 150; i++) {
    const r = `r${i}`;
    const currency = pick(CURRENCIES);
    const amount = 1 + Math.floor(random() * 100_000);
    let t = start + Math.floor(random() * span);
    move(r, t, 'pending_review', 'approved', amount, currency);
    let state = 'approved';
    const roll = random();
    if (roll < 0.15) {
      t += Math.floor(random() * 48 * HOUR);
      move(r, t, state, 'returned', amount, currency); // returned before payment: never paid
      state = 'returned';
    } else {
      t += Math.floor(random() * HOUR);
      move(r, t, state, 'sending', amount, currency);
      // A late confirmation: up to three weeks after sending.
      t += Math.floor(random() * (random() < 0.3 ? 21 * 24 : 2) * HOUR);
      move(r, t, 'sending', 'paid', amount, currency);
      state = 'paid';
      const after = random();
      if (after < 0.25) {
        t += Math.floor(random() * 30 * 24 * HOUR);
        move(r, t, 'paid', 'returned', amount, currency);
        state = 'returned';
      } else if (after < 0.3) {
        t += Math.floor(random() * 10 * 24 * HOUR);
        move(r, t, 'paid', 'failed', amount, currency);
        state = 'failed';
      }
    }
    finalState.set(r, { state, amount, currency });
  }
  const zoneChanges = Array.from({ length: 6 }, () => ({ at: start + Math.floor(random() * span), zone: pick(ZONES) }));
  zoneChanges.sort((a, b) => a.at - b.at);
  return { moves: moves.sort((a, b) => a.at - b.at), zoneChanges, finalState };
}

/** The zone history as it stood at `at` (changes made up to then). */
function historyAt(h: History, at: number): ZoneChange[] {
  let history: ZoneChange[] = [];
  for (const c of h.zoneChanges) if (c.at <= at) history = scheduleZoneChange(history, c.zone, c.at).history;
  return history;
}

/** Statements of every week from the first move's to the one holding `now`, as seen at `now`. */
function statementsAt(h: History, now: number): Map<string, Statement> {
  const history = historyAt(h, now);
  const seen = h.moves.filter((m) => m.at <= now);
  const byWeek = new Map<string, LedgerMove[]>();
  for (const m of seen) {
    const week = formatWeek(weekContaining(history, m.at));
    byWeek.set(week, [...(byWeek.get(week) ?? []), m]);
  }
  const out = new Map<string, Statement>();
  let week = addWeeks(weekOfInstant(h.moves[0]?.at ?? now, 'UTC'), -1);
  const last = weekContaining(history, now);
  while (formatWeek(week) <= formatWeek(last)) {
    const bounds = weekBounds(history, week);
    const lines = (byWeek.get(bounds.week) ?? [])
      .map((m) =>
        statementLine(m, { campaignName: m.campaignId, instagramHandle: null, orderId: null, paymentReference: null }),
      )
      .filter((l) => l !== null);
    out.set(bounds.week, buildStatement(bounds, bounds.end <= now, lines));
    week = addWeeks(week, 1);
  }
  return out;
}

describe('statements over random histories (model test)', () => {
  for (const seed of [1, 2, 3, 4, 5, 6, 7, 8]) {
    it(`seed ${seed}: totals equal the ledger to the cent, each paying move once, closed weeks never change`, () => {
      const h = randomHistory(seed);
      const end = (h.moves[h.moves.length - 1]?.at ?? 0) + HOUR;
      const final = statementsAt(h, end);

      // (1) Net per currency over all weeks = what the reimbursements finally paid and kept.
      const net = new Map<string, number>();
      for (const s of final.values())
        for (const c of s.byCurrency) net.set(c.currency, (net.get(c.currency) ?? 0) + c.net);
      const ledger = new Map<string, number>();
      for (const r of h.finalState.values())
        if (r.state === 'paid') ledger.set(r.currency, (ledger.get(r.currency) ?? 0) + r.amount);
      for (const currency of CURRENCIES) expect(net.get(currency) ?? 0, currency).toBe(ledger.get(currency) ?? 0);

      // Campaign totals add up to currency totals.
      for (const s of final.values()) {
        for (const c of s.byCurrency) {
          const sum = s.byCampaign.filter((x) => x.currency === c.currency).reduce((a, x) => a + x.net, 0);
          expect(sum).toBe(c.net);
        }
      }

      // (2) Every paying move on exactly one statement, inside its week's bounds.
      const paying = h.moves.filter((m) => m.to === 'paid' || m.from === 'paid');
      const listed = [...final.values()].flatMap((s) => s.lines.map((l) => ({ l, s })));
      expect(listed.map((x) => x.l.entryId).sort()).toEqual(paying.map((m) => m.entryId).sort());
      for (const { l, s } of listed) expect(s.bounds.start <= l.at && l.at < s.bounds.end).toBe(true);

      // (3) Whatever closed at any moment reads the same at the end (later moves, later zone changes).
      const random = prng(seed * 97);
      for (let k = 0; k < 12; k++) {
        const at = (h.moves[0]?.at ?? 0) + Math.floor(random() * (end - (h.moves[0]?.at ?? 0)));
        for (const [week, then] of statementsAt(h, at)) {
          if (!then.closed) continue;
          expect(final.get(week), week).toEqual(then);
        }
      }
    });
  }
});
