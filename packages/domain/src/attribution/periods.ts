import type { FieldIssue, ReportLevel, ReportRow } from './report-row.js';

/**
 * Amazon restates its figures (at 1, 7 and 28 days), so the latest upload of a period is the truth for it.
 * Rows are about one entity (`level` + `key`) over one period (`from`–`to`); a newer row replaces every older
 * row of the same entity whose period overlaps its own — a re-uploaded day replaces that day, a monthly
 * console export replaces the days it covers — so nothing is ever counted twice.
 */
export interface StoredReportRow extends ReportRow {
  id: string;
  uploadedAt: Date | string;
}

const entity = (r: Pick<ReportRow, 'level' | 'key'>) => `${r.level}\u0000${r.key}`;
const overlaps = (a: Pick<ReportRow, 'from' | 'to'>, b: Pick<ReportRow, 'from' | 'to'>) =>
  a.from <= b.to && b.from <= a.to;
const periodOf = (r: Pick<ReportRow, 'from' | 'to'>) => (r.from === r.to ? r.from : `${r.from} to ${r.to}`);

const LEVEL_NAMES: Record<ReportLevel, string> = { campaign: 'campaign', adGroup: 'ad group', creative: 'creative' };

/** Stable id of a row's slot: the same entity and period uploaded again lands on the same id. */
export function reportRowSlot(r: Pick<ReportRow, 'level' | 'key' | 'from' | 'to'>): string {
  return `${r.level}|${r.from}|${r.to}|${r.key}`;
}

/**
 * Within one upload the last row of a slot wins (as before: a day listed twice takes its last row); two rows
 * of one entity over different but overlapping periods contradict each other and are refused.
 */
export function checkUploadPeriods(
  rows: ReportRow[],
  where: string[],
): { ok: true; rows: ReportRow[] } | { ok: false; issues: FieldIssue[] } {
  const last = new Map<string, number>();
  rows.forEach((r, i) => last.set(reportRowSlot(r), i));
  const kept = [...last.values()].sort((a, b) => a - b);
  const byEntity = new Map<string, number[]>();
  for (const i of kept) {
    const r = rows[i] as ReportRow;
    const list = byEntity.get(entity(r)) ?? [];
    list.push(i);
    byEntity.set(entity(r), list);
  }
  const issues: FieldIssue[] = [];
  for (const list of byEntity.values()) {
    if (list.length < 2) continue;
    const sorted = [...list].sort((a, b) => ((rows[a] as ReportRow).from < (rows[b] as ReportRow).from ? -1 : 1));
    for (let k = 1; k < sorted.length; k++) {
      const [i, j] = [sorted[k - 1] as number, sorted[k] as number];
      const [a, b] = [rows[i] as ReportRow, rows[j] as ReportRow];
      if (overlaps(a, b)) {
        issues.push({
          path: where[Math.max(i, j)] ?? 'body',
          message: `overlaps ${where[Math.min(i, j)]} for the same ${LEVEL_NAMES[a.level]} (${periodOf(a)} and ${periodOf(b)}); send one period per row`,
        });
      }
    }
  }
  return issues.length ? { ok: false, issues } : { ok: true, rows: kept.map((i) => rows[i] as ReportRow) };
}

const time = (d: Date | string) => new Date(d).getTime();

/** The rows in force: per entity, newest upload first, each row kept unless a newer kept row overlaps it. */
export function currentRows<T extends StoredReportRow>(rows: readonly T[]): T[] {
  const byEntity = new Map<string, T[]>();
  for (const r of rows) {
    const list = byEntity.get(entity(r)) ?? [];
    list.push(r);
    byEntity.set(entity(r), list);
  }
  const current: T[] = [];
  for (const list of byEntity.values()) {
    list.sort((a, b) => time(b.uploadedAt) - time(a.uploadedAt) || (a.id < b.id ? -1 : 1));
    const kept: T[] = [];
    for (const r of list) if (!kept.some((k) => overlaps(k, r))) kept.push(r);
    current.push(...kept);
  }
  return current.sort((a, b) => (a.from < b.from ? -1 : a.from > b.from ? 1 : 0));
}

/** Ids of stored rows that an upload replaces (same entity, overlapping period, another slot). */
export function supersededIds(stored: readonly StoredReportRow[], incoming: readonly ReportRow[]): string[] {
  const byEntity = new Map<string, ReportRow[]>();
  for (const r of incoming) {
    const list = byEntity.get(entity(r)) ?? [];
    list.push(r);
    byEntity.set(entity(r), list);
  }
  const slots = new Set(incoming.map(reportRowSlot));
  return stored
    .filter((s) => !slots.has(reportRowSlot(s)) && (byEntity.get(entity(s)) ?? []).some((r) => overlaps(r, s)))
    .map((s) => s.id);
}
