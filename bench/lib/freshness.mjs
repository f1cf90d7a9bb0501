import { BROWSER_UA, pollUntil } from '@seedline/testkit';
import { api, send } from '../faults/lib/http.mjs';
import { sleep } from '../faults/lib/load.mjs';
import { clientIp } from '../faults/lib/workload.mjs';

/** A probe click every `everyMs` on a rotating set of influencers; each is timed until its count goes up. */
export async function probeFreshness(w, probes, durationMs, { everyMs = 500 } = {}) {
  const samples = [];
  let unseen = 0;
  // Detail reads made by the probes: one every 50 ms per probe until its click shows, so more when it shows later.
  let reads = 0;
  const read = (id) => {
    reads++;
    return clicksOf(w, id);
  };
  const busy = new Set();
  const counts = new Map();
  const tasks = [];
  const end = Date.now() + durationMs;
  let i = 0;
  while (Date.now() < end) {
    const person = probes[i++ % probes.length];
    if (!busy.has(person.id)) {
      busy.add(person.id);
      tasks.push(
        (async () => {
          // A failed read here (a refused or stalled api) is a probe lost, not the end of the whole run.
          const before = counts.get(person.id) ?? (await read(person.id).catch(() => null));
          if (before === null) {
            unseen++;
            return;
          }
          const t0 = performance.now();
          const r = await send(person.links.purchase.replace(/^https?:\/\/[^/]+/, w.stack.ingestUrl), {
            headers: { 'user-agent': BROWSER_UA, 'x-forwarded-for': clientIp(person.index) },
          });
          if (r.status !== 302) {
            unseen++;
            return;
          }
          const seen = await pollUntil(async () => ((await read(person.id)) > before ? performance.now() : false), {
            timeoutMs: 30_000,
            intervalMs: 50,
          }).catch(() => null);
          if (seen === null) unseen++;
          else samples.push(seen - t0);
          counts.set(person.id, before + 1);
        })().finally(() => busy.delete(person.id)),
      );
    }
    await sleep(everyMs);
  }
  await Promise.all(tasks);
  return { samples, unseen, reads };
}

async function clicksOf(w, id) {
  const r = await api(w.stack, w.apiKey).get(`/v1/campaigns/${w.campaignId}/influencers/${id}`);
  if (r.status !== 200) throw new Error(`detail ${r.status}`);
  return r.body.purchaseClicks;
}
