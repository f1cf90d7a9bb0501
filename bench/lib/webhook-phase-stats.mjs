import { percentile } from '../faults/lib/load.mjs';

/** The two no-endpoint phases as one: probes pooled, CPU and WAL over both phases' events. */
export function pooled(a, b) {
  const all = [...a.all, ...b.all];
  const offered = a.offered + b.offered;
  const per = (k) => (a[k] * a.offered + b[k] * b.offered) / offered;
  return {
    all,
    p50: percentile(all, 50),
    p99: percentile(all, 99),
    samples: all.length,
    unseen: a.unseen + b.unseen,
    offered,
    windowMs: (a.windowMs + b.windowMs) / 2,
    cpuMsPerEvent: per('cpuMsPerEvent'),
    stackMsPerEvent: per('stackMsPerEvent'),
    probeReads: a.probeReads + b.probeReads,
    // cores in use over the mean window: CPU-seconds per process are the mean of the two phases'
    cpu: Object.fromEntries(
      Object.keys(a.cpu).map((k) => [k, (a.cpu[k] * a.windowMs + b.cpu[k] * b.windowMs) / (a.windowMs + b.windowMs)]),
    ),
    generatorLagMaxMs: Math.max(a.generatorLagMaxMs, b.generatorLagMaxMs),
    walKbPerEvent: per('walKbPerEvent'),
    commitsPerEvent: per('commitsPerEvent'),
    waits: `${a.waits}; after: ${b.waits}`,
  };
}

/** p50 of each ninth of the samples (in the order the probes saw their clicks: ~5 s of a 45 s phase each). */
export const ninths = (xs) =>
  Array.from({ length: 9 }, (_, i) =>
    Math.round(percentile(xs.slice((i * xs.length) / 9, ((i + 1) * xs.length) / 9), 50)),
  );
export const signed = (v) => `${v >= 0 ? '+' : ''}${Math.round(v)}`;
export const round = (v) => (Number.isFinite(v) ? Math.round(v * 10) / 10 : v);
