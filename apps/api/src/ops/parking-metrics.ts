import { Counter, Gauge, type Registry } from 'prom-client';
import type { ParkedJobs } from '@seedline/runtime';

type Stats = Awaited<ReturnType<ParkedJobs['stats']>>;

/**
 * Event jobs parked while the database was unreachable (see the worker's database gate), read from Redis at
 * scrape time: parked now, and parked / replayed since the queues were created. A scrape that cannot read
 * Redis reports nothing rather than zeros.
 */
export function registerParkingMetrics(registry: Registry, parked: ParkedJobs): void {
  let read: Promise<Stats | null> | null = null;
  // The three metrics are collected in one scrape: one Redis read serves them.
  const stats = () => {
    read ??= parked
      .stats()
      .catch(() => null)
      .finally(() => setImmediate(() => (read = null)));
    return read;
  };
  new Gauge({
    name: 'seedline_jobs_parked',
    help: 'event jobs parked now because the database was unreachable (replayed when it answers again)',
    labelNames: ['queue'],
    registers: [registry],
    async collect() {
      const s = await stats();
      this.reset();
      for (const [queue, v] of Object.entries(s ?? {})) this.set({ queue }, v.parkedNow);
    },
  });
  for (const [name, field, help] of [
    ['seedline_jobs_parked_total', 'parked', 'times an event job was parked because the database was unreachable'],
    ['seedline_jobs_replayed_total', 'replayed', 'parked event jobs replayed once the database answered again'],
  ] as const) {
    new Counter({
      name,
      help,
      labelNames: ['queue'],
      registers: [registry],
      async collect() {
        const s = await stats();
        this.reset();
        for (const [queue, v] of Object.entries(s ?? {})) this.inc({ queue }, v[field]);
      },
    });
  }
}
