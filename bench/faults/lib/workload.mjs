import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { BROWSER_UA, pollUntil, seedCampaign, submitToken } from '@seedline/testkit';
import { STATUS_RANK } from '@seedline/domain';
import { api, send } from './http.mjs';
import { noteSecret } from './logscan.mjs';
import { mapLimit, openLoop } from './load.mjs';

export const KINDS = ['purchase', 'review', 'submission'];
export const REQUIRED_TAG = 'ad';
const RANK = STATUS_RANK;

/** Documentation-range addresses (RFC 5737), sent only as X-Forwarded-For headers: no traffic goes there. */
export const clientIp = (i) => `198.51.100.${(i % 250) + 1}`;

/**
 * A brand, a campaign that requires #ad, and `n` influencers signed up through ingest and visible in the API.
 */
export async function seedWorkload(stack, n, ledger) {
  const c = await seedCampaign(stack, { requirements: { hashtags: [REQUIRED_TAG] } });
  noteSecret(c.apiKey);
  const people = await mapLimit(
    Array.from({ length: n }, (_, i) => i),
    8,
    (i) => signUpPerson(stack, c.campaignId, i, ledger),
  );
  const w = { stack, campaignId: c.campaignId, apiKey: c.apiKey, brandId: c.brandId, people };
  await pollUntil(async () => (await listAll(w)).size === n, {
    timeoutMs: 60_000,
    intervalMs: 300,
    what: `${n} sign-ups to be visible`,
  });
  return w;
}

/** Signs influencer `i` up through ingest (`extra`: more sign-up fields, e.g. an email or a set handle) and records it. */
export async function signUpPerson(stack, campaignId, i, ledger, { prefix = 'fx', extra = {} } = {}) {
  const handle = extra.instagramHandle ?? `${prefix}_${i}_${Math.random().toString(36).slice(2, 8)}`;
  const r = await send(`${stack.ingestUrl}/v1/signups`, {
    method: 'POST',
    headers: { authorization: `Bearer ${stack.env.INGEST_TOKEN}` },
    body: { campaignId, instagramHandle: handle, ...extra },
  });
  if (r.status !== 202) throw new Error(`sign-up answered ${r.status} ${r.text ?? r.error}`);
  ledger?.record(r.body.influencerId, 'signup', 'acked');
  return {
    index: i,
    id: r.body.influencerId,
    handle,
    links: r.body.links,
    submitToken: submitToken(r.body.links.submit),
  };
}

/** Every acknowledged event, by influencer and kind; `uncertain` = sent but the answer never came. */
export class Ledger {
  constructor() {
    this.byPerson = new Map();
    this.ackTimes = [];
    this.fiveXX = 0;
    /** 5xx answers to tracked-link clicks: the contract says a valid link always redirects */
    this.linkFiveXX = 0;
  }
  entry(id) {
    let e = this.byPerson.get(id);
    if (!e) {
      e = {
        signup: { acked: 0, uncertain: 0 },
        purchase: { acked: 0, uncertain: 0 },
        review: { acked: 0, uncertain: 0 },
        submission: { acked: 0, uncertain: 0 },
      };
      this.byPerson.set(id, e);
    }
    return e;
  }
  record(id, kind, outcome) {
    if (outcome === 'refused') return;
    this.entry(id)[kind][outcome]++;
    if (outcome === 'acked') this.ackTimes.push(Date.now());
  }
  /** The answer to an event request, classified: only 302/202 acknowledge; a refused connection never reached the app. */
  classify(id, kind, r) {
    if (r.status >= 500) this.fiveXX++;
    if (r.status >= 500 && kind !== 'submission') this.linkFiveXX++;
    const ok = kind === 'submission' ? r.status === 202 : r.status === 302;
    const outcome = ok
      ? 'acked'
      : r.status >= 400 && r.status < 500
        ? 'refused'
        : r.status === 0 && !r.sent
          ? 'refused'
          : 'uncertain';
    this.record(id, kind, outcome);
    return outcome;
  }
  get acknowledged() {
    let n = 0;
    for (const e of this.byPerson.values()) for (const k of Object.values(e)) n += k.acked;
    return n;
  }
  ackedBetween(from, to) {
    return this.ackTimes.filter((t) => t >= from && t <= to).length;
  }
}

/** Sends one event of `kind` for `person` as a real client would, and records the outcome. */
export async function fireEvent(w, ledger, person, kind) {
  const headers = { 'user-agent': BROWSER_UA, 'x-forwarded-for': clientIp(person.index) };
  let r;
  if (kind === 'submission') {
    const shortcode = `C${person.index}x${Date.now().toString(36)}`;
    // A case that verifies posts on Instagram publishes the post first (on its Graph API stand-in).
    w.beforePost?.(person, shortcode);
    r = await send(`${w.stack.ingestUrl}/v1/submissions`, {
      method: 'POST',
      headers,
      body: {
        token: person.submitToken,
        postUrl: `https://www.instagram.com/p/${shortcode}/`,
        caption: `Love it #${REQUIRED_TAG}`,
      },
    });
  } else {
    const link = kind === 'purchase' ? person.links.purchase : person.links.review;
    r = await send(link.replace(/^https?:\/\/[^/]+/, w.stack.ingestUrl), { headers });
  }
  ledger.classify(person.id, kind, r);
  return r;
}

/** Open-loop mixed traffic: mostly purchase clicks, some review clicks and accepted submissions. */
export function driveLoad(
  w,
  ledger,
  { rate, durationMs, mix = { purchase: 0.8, review: 0.1, submission: 0.1 }, shouldStop },
) {
  const kinds = Object.entries(mix);
  return openLoop({
    rate,
    durationMs,
    shouldStop,
    fire: (i) => {
      const person = w.people[i % w.people.length];
      let x = ((i * 7919) % 1000) / 1000;
      let kind = kinds[0][0];
      for (const [k, share] of kinds) {
        if (x < share) {
          kind = k;
          break;
        }
        x -= share;
      }
      return fireEvent(w, ledger, person, kind);
    },
  });
}

export async function listAll(w) {
  const items = new Map();
  let cursor = null;
  do {
    const r = await api(w.stack, w.apiKey).get(
      `/v1/campaigns/${w.campaignId}/influencers?limit=500${cursor ? `&cursor=${cursor}` : ''}`,
    );
    if (r.status !== 200) throw new Error(`list answered ${r.status} ${r.error ?? r.text?.slice(0, 200)}`);
    for (const it of r.body.items) items.set(it.id, it);
    cursor = r.body.nextCursor;
  } while (cursor);
  return items;
}

/**
 * Compares what the API shows with the ledger. Per influencer and kind: lost = acknowledged but not found;
 * counted twice = found more often than it was sent (acknowledged + unanswered). The status must lie
 * between what the acknowledged events and all sent events imply.
 */
export async function verify(w, ledger, { details = true } = {}) {
  const items = await listAll(w);
  // Details (with timelines) cost far more than the list: while waiting, the list alone says enough.
  const withSubmissions = details
    ? [...ledger.byPerson].filter(([, e]) => e.submission.acked + e.submission.uncertain > 0).map(([id]) => id)
    : [];
  const accepted = new Map();
  /** every acceptance's source, for a mismatch's detail */
  const sources = new Map();
  await mapLimit(withSubmissions, 8, async (id) => {
    const r = await api(w.stack, w.apiKey).get(`/v1/campaigns/${w.campaignId}/influencers/${id}`);
    if (r.status !== 200) throw new Error(`detail answered ${r.status}`);
    // Acceptances of the posts this workload submitted through the form. With Instagram verification on, the
    // brand's tagged media can also be discovered before the form's job runs: that is Instagram's own fact
    // (source `instagram (tags|mentions, media …)`), not a second application of the acknowledged submission;
    // a form submission Instagram verified says `instagram verification …` and counts.
    const fromForm = (t) => t.type === 'submission_accepted' && !String(t.source ?? '').startsWith('instagram (');
    accepted.set(id, r.body.timeline.filter(fromForm).length);
    sources.set(
      id,
      r.body.timeline.filter((t) => t.type === 'submission_accepted').map((t) => t.source),
    );
  });
  const out = { acknowledged: 0, found: 0, lost: 0, twice: 0, statusErrors: 0, mismatches: [] };
  for (const [id, e] of ledger.byPerson) {
    const item = items.get(id);
    const found = {
      signup: item ? 1 : 0,
      purchase: item?.purchaseClicks ?? 0,
      review: item?.reviewClicks ?? 0,
      submission: accepted.get(id) ?? 0,
    };
    for (const kind of details ? ['signup', ...KINDS] : ['signup', 'purchase', 'review']) {
      const { acked, uncertain } = e[kind];
      // A sign-up is idempotent by design: re-sending it is the same influencer.
      const expectedMax = kind === 'signup' ? Math.min(1, acked + uncertain) : acked + uncertain;
      const expectedMin = kind === 'signup' ? Math.min(1, acked) : acked;
      out.acknowledged += expectedMin;
      // "found" counts acknowledged events found; unanswered ones that were recorded are not held against it.
      out.found += Math.min(found[kind], expectedMin);
      const lost = Math.max(0, expectedMin - found[kind]);
      const twice = Math.max(0, found[kind] - expectedMax);
      out.lost += lost;
      out.twice += twice;
      if (lost || twice)
        out.mismatches.push({
          id,
          kind,
          acked,
          uncertain,
          found: found[kind],
          ...(kind === 'submission' ? { sources: sources.get(id) } : {}),
        });
    }
    const min = statusFor(e, 'acked');
    const max = statusFor(e, 'any');
    const rank = RANK[item?.status] ?? -1;
    if (rank < min || rank > max) {
      out.statusErrors++;
      out.mismatches.push({ id, kind: 'status', status: item?.status, min, max });
    }
  }
  return out;
}

function statusFor(e, which) {
  const has = (k) => e[k].acked > 0 || (which === 'any' && e[k].uncertain > 0);
  if (has('submission')) return has('review') ? RANK.followed_up : RANK.done;
  return has('purchase') ? RANK.purchased : RANK.signed_up;
}

/** Jobs still to run in the event queues (waiting, active, or waiting for a retry). */
export async function pendingJobs(stack) {
  const redis = new Redis(stack.env.REDIS_URL, { maxRetriesPerRequest: 1, lazyConnect: true });
  try {
    await redis.connect();
    let n = 0;
    for (const name of ['signups', 'clicks', 'submissions']) {
      const q = new Queue(name, { connection: redis, prefix: stack.prefix });
      const c = await q.getJobCounts('wait', 'active', 'delayed', 'prioritized', 'paused');
      n += Object.values(c).reduce((a, b) => a + b, 0);
    }
    return n;
  } finally {
    redis.disconnect();
  }
}

/**
 * Waits until every acknowledged event is visible (the recovery time, from `since`), then until the queues
 * are empty, and verifies once more: a late redelivery that counted twice shows up here.
 */
export async function settle(w, ledger, { since, timeoutMs = 120_000 }) {
  const deadline = Date.now() + timeoutMs;
  let last;
  let recoveredAt = null;
  let listOk = false;
  while (Date.now() < deadline) {
    try {
      last = await verify(w, ledger, { details: listOk });
      const ok = last.lost === 0 && last.statusErrors === 0;
      if (ok && listOk) {
        recoveredAt = Date.now();
        break;
      }
      listOk = ok;
      if (ok) continue;
    } catch (err) {
      last = { error: err.message };
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  if (recoveredAt !== null) {
    await pollUntil(async () => (await pendingJobs(w.stack)) === 0, {
      timeoutMs: Math.max(5000, deadline - Date.now()),
      intervalMs: 250,
      what: 'queues to drain',
    }).catch(() => undefined);
    last = await verify(w, ledger);
  }
  return { result: last, recoveryMs: recoveredAt === null ? null : Math.max(0, recoveredAt - since) };
}
