import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { BROWSER_UA, pollUntil } from '@seedline/testkit';
import { runCase, runIfMain } from '../lib/case.mjs';
import { send } from '../lib/http.mjs';
import { mapLimit } from '../lib/load.mjs';
import { clientIp, fireEvent, pendingJobs } from '../lib/workload.mjs';

/**
 * Duplicate and reordered deliveries at both ends: tracker batches re-sent (whole, shuffled, split, with
 * `at` times out of order) by two trackers at once; completed click jobs delivered again to the worker under
 * new job ids; and influencers whose events arrive backwards (review click, then the post, then purchase).
 */
const def = {
  name: 'dup-reorder',
  title: 'Duplicate and reordered deliveries',
  ci: true,
  run: ({ ci, log }) =>
    runCase(def, { log }, async ({ stack, w, ledger }) => {
      const nEvents = ci ? 1500 : 3000;
      // Every event in the past (ingest refuses times in the future), in an order unrelated to delivery.
      const base = Date.now() - (nEvents + 600) * 1000;
      const events = Array.from({ length: nEvents }, (_, i) => {
        const p = w.people[(i * 7) % w.people.length];
        const kind = i % 5 === 0 ? 'review' : 'purchase';
        return {
          person: p,
          kind,
          event: {
            eventId: `dup-${i}`,
            token: p.links[kind].split('/l/')[1],
            // Shuffled timestamps: delivery order and event time disagree.
            at: new Date(base + ((i * 7919) % nEvents) * 1000).toISOString(),
            userAgent: BROWSER_UA,
            ip: clientIp(p.index),
          },
        };
      });
      const acked = new Set();
      const batches = [];
      for (let i = 0; i < events.length; i += 250) batches.push(events.slice(i, i + 250));
      const shuffled = (xs) => [...xs].sort(() => Math.random() - 0.5);
      // Every batch three times: as is, shuffled, and split in two overlapping halves, by two trackers at once.
      const deliveries = batches.flatMap((b) => [b, shuffled(b), b.slice(0, 200), b.slice(100)]);
      let fiveXX = 0;
      const answers = {};
      await mapLimit(shuffled(deliveries), 4, async (batch) => {
        const r = await send(`${stack.ingestUrl}/v1/clicks`, {
          method: 'POST',
          headers: { authorization: `Bearer ${stack.env.INGEST_TOKEN}` },
          body: { events: batch.map((e) => e.event) },
        });
        if (r.status >= 500) fiveXX++;
        answers[r.status || r.error] = (answers[r.status || r.error] ?? 0) + 1;
        if (r.status === 202) {
          for (const e of batch) {
            if (acked.has(e.event.eventId)) continue;
            acked.add(e.event.eventId);
            ledger.record(e.person.id, e.kind, 'acked');
          }
        }
      });
      for (const e of events) if (!acked.has(e.event.eventId)) ledger.record(e.person.id, e.kind, 'uncertain');
      log(
        `${acked.size} unique tracker events acknowledged in ${deliveries.length} deliveries (answers ${JSON.stringify(answers)})`,
      );

      // Backwards: review click, accepted post, then purchase click, for a few influencers.
      for (const p of w.people.slice(0, 5)) {
        for (const kind of ['review', 'submission', 'purchase']) await fireEvent(w, ledger, p, kind);
      }

      // Redelivery at the queue: every completed click job delivered again under a new id, twice.
      const redis = new Redis(stack.env.REDIS_URL, { maxRetriesPerRequest: null });
      const queue = new Queue('clicks', { connection: redis, prefix: stack.prefix });
      let redelivered = 0;
      try {
        // Once the first deliveries are through, every completed click job goes round again.
        await pollUntil(async () => (await pendingJobs(stack)) === 0, {
          timeoutMs: 300_000,
          intervalMs: 500,
          what: 'first deliveries',
        });
        const done = await queue.getCompleted(0, 5000);
        for (const job of done) {
          await queue.add('clicks', job.data, { jobId: `redeliver-a-${job.id}` });
          await queue.add('clicks', { events: [...job.data.events].reverse() }, { jobId: `redeliver-b-${job.id}` });
          redelivered += 2;
        }
      } finally {
        await queue.close();
        redis.disconnect();
      }
      log(`${redelivered} click jobs delivered again`);
      return {
        faultEndedAt: Date.now(),
        extraFiveXX: fiveXX,
        checks: [
          {
            name: 'every tracker delivery acknowledged',
            ok: acked.size === events.length,
            detail: JSON.stringify(answers),
          },
        ],
        notes: `${acked.size} tracker events sent ${deliveries.length} times in batches (4 deliveries each, shuffled); 5 influencers' events backwards; ${redelivered} completed jobs redelivered`,
      };
    }),
};
export default def;
await runIfMain(import.meta, def);
