// The db-cost bench's tables: one checkout's figures per event kind or, with a baseline checkout, both side by
// side (run.mjs's baseline columns, and a compact table of the four figures per event) with the settings that
// differ between the two clusters.

/** What a run's settings list first: the ones issue 24 may change, and those that must stay. */
const SHOWN = [
  'wal_compression',
  'synchronous_commit',
  'fsync',
  'full_page_writes',
  'wal_level',
  'checkpoint_timeout',
  'max_wal_size',
  'min_wal_size',
  'commit_delay',
  'commit_siblings',
  'wal_buffers',
  'wal_writer_delay',
  'shared_buffers',
];
/** Settings that differ between any two clusters: where they live, not how they work. */
const PER_CLUSTER = new Set(['port', 'data_directory', 'config_file', 'hba_file', 'ident_file', 'external_pid_file']);

const SUMMED = [
  'events',
  'seconds',
  'walBytes',
  'walRecords',
  'heapWrites',
  'indexEntries',
  'cpuSeconds',
  'cpuNet',
  'autovacuums',
];

/**
 * One checkout's turns summed per event kind (several turns when the bench alternates), with each turn's idle
 * rate (reminder sweeps, pollers, the sampling) charged over its phases' seconds and taken off.
 */
export function combine(turns) {
  const kinds = new Map();
  for (const t of turns) {
    const idleRate = t.idle.cpuSeconds / t.idle.seconds;
    for (const p of t.phases) {
      const k = kinds.get(p.kind) ?? {
        kind: p.kind,
        drainSeconds: 0,
        ...Object.fromEntries(SUMMED.map((s) => [s, 0])),
      };
      for (const s of SUMMED) k[s] += s === 'cpuNet' ? p.cpuSeconds - idleRate * p.seconds : p[s];
      if (p.drain) k.drainSeconds += p.drainSeconds;
      kinds.set(p.kind, k);
    }
  }
  const idle = turns.reduce((a, t) => ({ cpu: a.cpu + t.idle.cpuSeconds, seconds: a.seconds + t.idle.seconds }), {
    cpu: 0,
    seconds: 0,
  });
  return { kinds: [...kinds.values()], idleMsPerSecond: (idle.cpu * 1000) / idle.seconds };
}

const FIGURES = [
  ['WAL per event', 'KB', (k) => k.walBytes / 1024 / k.events, 1],
  // The records repeat from run to run within a few per cent; their bytes do not (probably because a generic
  // record logs a page delta whose size depends on the page's layout): two turns of identical code at 500 events
  // a phase gave 0.94–1.04× the records but 0.65–1.67× the bytes.
  ['WAL records per event', 'records', (k) => k.walRecords / k.events, 1],
  ['heap tuples written per event', 'tuples', (k) => k.heapWrites / k.events, 2],
  ['index entries written per event', 'entries', (k) => k.indexEntries / k.events, 2],
  ['PostgreSQL CPU per event', 'ms', (k) => (k.cpuSeconds * 1000) / k.events, 2],
  ['PostgreSQL CPU per event, idle rate taken off', 'ms', (k) => (k.cpuNet * 1000) / k.events, 2],
];

const round = (v, digits) => Number(v.toFixed(digits));
const drainRate = (k) => k.events / k.drainSeconds;

/** run.mjs's rows: this checkout's figure, and the baseline's with the ratio when there is one. */
function rows(current, base, baseLabel) {
  const against = (k, f, digits) => {
    const b = base?.kinds.find((x) => x.kind === k.kind);
    if (!b) return {};
    const v = f(b);
    return { baseline: baseLabel, baselineValue: round(v, digits), ratio: v ? f(k) / v : undefined };
  };
  return current.kinds.flatMap((k) => [
    ...(k.drainSeconds
      ? [
          {
            metric: `${k.kind}: events/s`,
            value: Math.round(drainRate(k)),
            unit: 'events/s',
            ...against(k, drainRate, 0),
          },
        ]
      : []),
    ...FIGURES.map(([metric, unit, f, digits]) => ({
      metric: `${k.kind}: ${metric}`,
      value: round(f(k), digits),
      unit,
      ...against(k, f, digits),
    })),
  ]);
}

const settingsLine = (s) =>
  SHOWN.filter((n) => n in s)
    .map((n) => `${n}=${s[n]}`)
    .join(', ');

function settingsDiff(a, b) {
  const names = [...new Set([...Object.keys(a), ...Object.keys(b)])].filter((n) => !PER_CLUSTER.has(n)).sort();
  return names.filter((n) => a[n] !== b[n]).map((n) => `${n} ${a[n] ?? '(none)'} → ${b[n] ?? '(none)'}`);
}

/** Four figures per event kind, baseline | this checkout | ratio, and the drain rate: the table to publish. */
function sideBySide(current, base, labels) {
  const cols = FIGURES.filter(([metric]) => metric !== 'PostgreSQL CPU per event');
  const cell = (v) => (v === undefined ? '—' : v.toLocaleString('en-US', { maximumFractionDigits: 2 }));
  const head = [
    'event',
    ...cols.flatMap(([metric, unit]) => [`${metric.replace(' per event', '')} (${unit}) base`, 'current', '×']),
    'autovacuums base / current',
  ];
  const lines = current.kinds.map((k) => {
    const b = base.kinds.find((x) => x.kind === k.kind);
    return [
      k.kind,
      ...cols.flatMap(([, , f, digits]) => {
        const [bv, cv] = [b && round(f(b), digits), round(f(k), digits)];
        return [cell(bv), cell(cv), b && f(b) ? `${(f(k) / f(b)).toFixed(2)}×` : '—'];
      }),
      `${b?.autovacuums ?? '—'} / ${k.autovacuums}`,
    ];
  });
  const drains = current.kinds.filter((k) => k.drainSeconds);
  return [
    `### db-cost side by side: base ${labels.base}, current ${labels.current}`,
    '',
    `| ${head.join(' | ')} |`,
    `| ${head.map((_, i) => (i ? '---:' : '---')).join(' | ')} |`,
    ...lines.map((l) => `| ${l.join(' | ')} |`),
    '',
    ...drains.map((k) => {
      const b = base.kinds.find((x) => x.kind === k.kind);
      const [bv, cv] = [b ? drainRate(b) : undefined, drainRate(k)];
      return `- ${k.kind}: base ${cell(bv && Math.round(bv))} events/s, current ${cell(Math.round(cv))} events/s (${bv ? (cv / bv).toFixed(2) : '—'}×; ${k.events} clicks in all)`;
    }),
    `- idle PG CPU: base ${base.idleMsPerSecond.toFixed(1)}, current ${current.idleMsPerSecond.toFixed(1)} ms per second`,
    '- autovacuums: runs that fell in the phase (its WAL and CPU are in the figures; when it runs is up to PostgreSQL)',
    '',
  ].join('\n');
}

/**
 * The bench's result for run.mjs: rows (with baseline columns when `baseTurns` is given), the compact side-by-side
 * table as `markdown`, and every turn in `detail`.
 */
export function report({ turns, baseTurns, meta }) {
  const current = combine(turns);
  const base = baseTurns?.length ? combine(baseTurns) : undefined;
  const labels = { current: turns[0].commit, base: baseTurns?.[0]?.commit };
  const baseLabel = base && `base ${labels.base}`;
  const out = rows(current, base, baseLabel);
  const turnNote = (t) =>
    `${t.commit} (${t.root}): ${t.seconds.toFixed(0)} s, load ${t.load.before[0].toFixed(1)} → ${t.load.after?.[0].toFixed(1)}; ${settingsLine(t.settings)}${t.notes.length ? `; ${t.notes.join('; ')}` : ''}`;
  const all = [...(baseTurns ?? []), ...turns].sort((x, y) => x.order - y.order);
  const shown = (s) => Object.fromEntries(SHOWN.filter((n) => n in s).map((n) => [n, s[n]]));
  const diff = base ? settingsDiff(baseTurns[0].settings, turns[0].settings) : [];
  out.push({
    metric: 'idle stack, 10 s (background)',
    value: round(current.idleMsPerSecond, 1),
    unit: 'ms PG CPU/s',
    ...(base
      ? {
          baseline: baseLabel,
          baselineValue: round(base.idleMsPerSecond, 1),
          ratio: current.idleMsPerSecond / base.idleMsPerSecond,
        }
      : {}),
    note:
      `${meta.n} influencers a phase, ${turns[0].drain.events} clicks in the backlog; turns in order: ${all.map(turnNote).join(' | ')}` +
      (base ? `; settings base → current: ${diff.length ? diff.join(', ') : 'the same'}` : ''),
  });
  return {
    name: 'db-cost',
    rows: out,
    markdown: base ? sideBySide(current, base, labels) : undefined,
    detail: { ...meta, settingsDiff: diff, turns: all.map((t) => ({ ...t, settings: shown(t.settings) })) },
  };
}
