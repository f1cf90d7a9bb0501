/**
 * Reads the Graph API's usage headers: `X-App-Usage` (`{call_count, total_cputime, total_time}`, percentages
 * of the app's limit) and `X-Business-Use-Case-Usage` (`{<business id>: [{type, call_count, total_cputime,
 * total_time, estimated_time_to_regain_access}]}`, the Instagram Platform's own limits, the time in minutes).
 * Returns the highest percentage seen and the longest wait Meta announced, or null when neither header is
 * there (absent is not zero usage: it only means too few calls were made for Meta to report).
 */
export interface GraphUsage {
  /** highest of every percentage reported, 0–100 (Meta may report over 100 while throttling) */
  percent: number;
  /** seconds until access comes back, when Meta announced it (business use case header) */
  regainSeconds: number;
}

const PERCENT_KEYS = ['call_count', 'total_cputime', 'total_time'] as const;

export function parseGraphUsage(appUsage: string | null, businessUsage: string | null): GraphUsage | null {
  let percent = -1;
  let regainSeconds = 0;
  const take = (o: unknown) => {
    if (!o || typeof o !== 'object') return;
    const rec = o as Record<string, unknown>;
    for (const k of PERCENT_KEYS) {
      const v = rec[k];
      if (typeof v === 'number' && Number.isFinite(v)) percent = Math.max(percent, v);
    }
    const regain = rec.estimated_time_to_regain_access;
    if (typeof regain === 'number' && Number.isFinite(regain)) regainSeconds = Math.max(regainSeconds, regain * 60);
  };
  for (const raw of [appUsage, businessUsage]) {
    if (!raw || raw.length > 8192) continue;
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw);
    } catch {
      continue;
    }
    if (raw === appUsage) take(parsed);
    else if (parsed && typeof parsed === 'object')
      for (const list of Object.values(parsed as Record<string, unknown>))
        if (Array.isArray(list)) for (const item of list) take(item);
  }
  return percent < 0 && regainSeconds === 0 ? null : { percent: Math.max(0, percent), regainSeconds };
}

/**
 * How long to wait before the next call: nothing below 70 %, then a wait growing towards `maxMs` at 100 %,
 * so usage levels off before Meta throttles. An announced regain time always wins.
 */
export function usageDelayMs(usage: GraphUsage | null, maxMs: number): number {
  if (!usage) return 0;
  if (usage.regainSeconds > 0) return usage.regainSeconds * 1000;
  if (usage.percent < 70) return 0;
  return Math.round(((Math.min(usage.percent, 100) - 70) / 30) * maxMs);
}
