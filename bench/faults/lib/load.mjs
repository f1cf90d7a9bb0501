/**
 * Open-loop load: request i is due at t0 + i/rate whatever happened to earlier ones, so a slow server faces
 * a growing queue instead of a politely slowing client (no coordinated omission). Latency is measured from
 * the due time. Bounded in count (rate × duration) and time; never more than `maxInFlight` open requests:
 * past that a due request is skipped and counted, which shows the target could not keep up.
 * `latenciesByStatus` splits the latencies by answer (e.g. '302': the redirects of a mixed load).
 */
export async function openLoop({ rate, durationMs, fire, maxInFlight = 2000, shouldStop = () => false }) {
  const total = Math.max(1, Math.floor((rate * durationMs) / 1000));
  const latencies = [];
  const latenciesByStatus = {};
  const statuses = {};
  let next = 0;
  let inFlight = 0;
  let skipped = 0;
  const pending = new Set();
  const t0 = performance.now();
  await new Promise((resolve) => {
    const tick = () => {
      const now = performance.now();
      const due = Math.min(total, Math.floor(((now - t0) * rate) / 1000) + 1);
      while (next < due) {
        const i = next++;
        const dueAt = t0 + (i * 1000) / rate;
        if (inFlight >= maxInFlight) {
          skipped++;
          continue;
        }
        inFlight++;
        const p = Promise.resolve(fire(i)).then((r) => {
          inFlight--;
          const ms = performance.now() - dueAt;
          latencies.push(ms);
          const key = r?.status ? String(r.status) : `error:${r?.error ?? 'unknown'}`;
          statuses[key] = (statuses[key] ?? 0) + 1;
          (latenciesByStatus[key] ??= []).push(ms);
        });
        pending.add(p);
        void p.finally(() => pending.delete(p));
      }
      if (next >= total || shouldStop()) resolve();
      else setTimeout(tick, 1);
    };
    tick();
  });
  const sendMs = performance.now() - t0;
  await Promise.all(pending);
  return { offered: total, sent: next - skipped, skipped, sendMs, latencies, latenciesByStatus, statuses };
}

export function percentile(values, p) {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Runs `fn` over `items` with at most `n` at a time. */
export async function mapLimit(items, n, fn) {
  const out = new Array(items.length);
  let i = 0;
  await Promise.all(
    Array.from({ length: Math.min(n, items.length) }, async () => {
      while (i < items.length) {
        const k = i++;
        out[k] = await fn(items[k], k);
      }
    }),
  );
  return out;
}
