import {
  deriveStatus,
  influencerIdFor,
  mergeFacts,
  type ClickEvent,
  type SignupJob,
  type StatusFacts,
  type SubmissionJob,
} from '@seedline/domain';
import { seededRandom, shuffled } from '@seedline/testkit';

/**
 * Random event workloads for the worker, and the pure in-memory model of what they must produce. The model
 * applies each distinct event once, in no particular order, with the domain's own status rules
 * (`mergeFacts`, `deriveStatus`); the worker must end in the same place whatever the delivery order and
 * however many times an event is delivered.
 */

export type Delivery =
  | { queue: 'signups'; data: SignupJob }
  | { queue: 'clicks'; data: { events: ClickEvent[] } }
  | { queue: 'submissions'; data: SubmissionJob };

export interface ExpectedInfluencer {
  instagramHandle: string;
  status: string;
  signedUpAt: string | null;
  purchasedAt: string | null;
  doneAt: string | null;
  followedUpAt: string | null;
  purchaseClicks: number;
  reviewClicks: number;
  botClicks: number;
}

export interface Workload {
  deliveries: Delivery[];
  /** by influencer id */
  expected: Map<string, ExpectedInfluencer>;
  /** the submission each influencer's snapshot must show */
  shownSubmission: Map<string, { id: string; accepted: boolean }>;
  /** distinct click events per influencer and timeline type */
  clickEntries: Map<string, Record<'purchase_click' | 'review_click' | 'bot_click', number>>;
  uniqueEvents: number;
  duplicateDeliveries: number;
  /** evidence that the delivery order holds the awkward cases the contract names */
  orderings: { clickBeforeSignup: number; reviewClickBeforeAcceptance: number; submissionBeforePurchaseClick: number };
}

export const REQUIREMENTS = { hashtags: ['ad'], mentions: ['acme'] };
const ACCEPTED_CAPTIONS = ['Loving it #ad @acme', 'So good! #AD with @Acme.', '@acme sent me this #ad #sponsored'];
// Each misses a requirement as a whole token: a longer hashtag or handle does not count.
const REJECTED_CAPTIONS = [
  'no tags at all',
  '#ad but no mention',
  '#adventure with @acme',
  '@acme only',
  '#ad @acmecorp',
];
const BOT_AGENTS = ['facebookexternalhit/1.1', 'Slackbot-LinkExpanding 1.0', 'curl/8.5.0'];
const BROWSER = 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148';

interface Options {
  campaignId: string;
  seed: number;
  influencers: number;
  /** distinct events, sign-ups included */
  events: number;
  /** share of distinct events delivered a second time */
  duplicateShare: number;
  /** handle prefix, so two workloads of one campaign do not collide */
  handlePrefix?: string;
}

type Unique =
  | { kind: 'signup'; job: SignupJob }
  | { kind: 'click'; event: ClickEvent }
  | { kind: 'submission'; job: SubmissionJob; accepted: boolean };

export function buildWorkload(o: Options): Workload {
  const random = seededRandom(o.seed);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(random() * xs.length)] as T;
  const t0 = Date.UTC(2026, 0, 5, 8, 0, 0);
  const at = () => new Date(t0 + Math.floor(random() * 6 * 3_600_000)).toISOString();
  const handles = Array.from({ length: o.influencers }, (_, i) => `${o.handlePrefix ?? 'model'}.${i}`);
  const ids = handles.map((h) => influencerIdFor(o.campaignId, h));
  // A fifth of the influencers only sign up, so every status is represented.
  const active = ids.slice(0, Math.ceil(o.influencers * 0.8));

  const uniques: Unique[] = ids.map((influencerId, i) => ({
    kind: 'signup',
    job: {
      eventId: `signup-${influencerId}`,
      campaignId: o.campaignId,
      influencerId,
      instagramHandle: handles[i] as string,
      at: at(),
    },
  }));
  for (let n = 0; uniques.length < o.events; n++) {
    const influencerId = pick(active);
    const r = random();
    const eventId = `ev-${o.seed}-${n}`;
    if (r < 0.82) {
      const link = r < 0.5 ? 'purchase' : 'review';
      const kind = random();
      const human = kind < 0.75;
      const event: ClickEvent = {
        eventId,
        link,
        campaignId: o.campaignId,
        influencerId,
        at: at(),
        human,
        source: random() < 0.7 ? 'link' : 'tracker',
        userAgent: human ? BROWSER : pick(BOT_AGENTS),
        ipHash: `h${Math.floor(random() * 1e9).toString(16)}`,
      };
      // Rate-limited clicks are recorded for the totals but never move a status.
      if (human && random() < 0.05) event.flagged = 'rate_limited';
      uniques.push({ kind: 'click', event });
    } else {
      const good = random() < 0.5;
      const badUrl = !good && random() < 0.2;
      const shortcode = `C${Math.floor(random() * 1e9).toString(36)}`;
      uniques.push({
        kind: 'submission',
        accepted: good,
        job: {
          eventId,
          campaignId: o.campaignId,
          influencerId,
          postUrl: badUrl
            ? `https://example.com/p/${shortcode}/`
            : `https://www.instagram.com/${random() < 0.5 ? 'p' : 'reel'}/${shortcode}/`,
          caption: good || badUrl ? pick(ACCEPTED_CAPTIONS) : pick(REJECTED_CAPTIONS),
          at: at(),
        },
      });
    }
  }

  // Deliveries: clicks travel one to three per job (a tracker feed batches them); a duplicate is the same
  // event again in a job of its own.
  const deliveries: Delivery[] = [];
  const clicks = uniques.flatMap((u) => (u.kind === 'click' ? [u.event] : []));
  for (let i = 0; i < clicks.length;) {
    const size = random() < 0.7 ? 1 : 2 + Math.floor(random() * 2);
    deliveries.push({ queue: 'clicks', data: { events: clicks.slice(i, i + size) } });
    i += size;
  }
  for (const u of uniques) {
    if (u.kind === 'signup') deliveries.push({ queue: 'signups', data: u.job });
    if (u.kind === 'submission') deliveries.push({ queue: 'submissions', data: u.job });
  }
  const duplicated = shuffled(uniques, random).slice(0, Math.round(uniques.length * o.duplicateShare));
  for (const u of duplicated) {
    if (u.kind === 'signup') deliveries.push({ queue: 'signups', data: u.job });
    if (u.kind === 'submission') deliveries.push({ queue: 'submissions', data: u.job });
    if (u.kind === 'click') deliveries.push({ queue: 'clicks', data: { events: [u.event] } });
  }
  const ordered = shuffled(deliveries, random);

  return {
    deliveries: ordered,
    ...model(uniques, handles, ids),
    uniqueEvents: uniques.length,
    duplicateDeliveries: duplicated.length,
    orderings: orderingsOf(ordered, uniques),
  };
}

function model(uniques: Unique[], handles: string[], ids: string[]) {
  const facts = new Map<string, StatusFacts>();
  const counts = new Map<string, { purchaseClicks: number; reviewClicks: number; botClicks: number }>();
  const clickEntries = new Map<string, Record<'purchase_click' | 'review_click' | 'bot_click', number>>();
  const submissions = new Map<string, { id: string; accepted: boolean; at: number }[]>();
  for (const id of ids) {
    facts.set(id, {});
    counts.set(id, { purchaseClicks: 0, reviewClicks: 0, botClicks: 0 });
    clickEntries.set(id, { purchase_click: 0, review_click: 0, bot_click: 0 });
    submissions.set(id, []);
  }
  const observe = (id: string, f: StatusFacts) => facts.set(id, mergeFacts(facts.get(id) ?? {}, f));
  for (const u of uniques) {
    if (u.kind === 'signup') observe(u.job.influencerId, { signedUpAt: new Date(u.job.at) });
    if (u.kind === 'submission') {
      if (u.accepted) observe(u.job.influencerId, { acceptedAt: new Date(u.job.at) });
      submissions.get(u.job.influencerId)?.push({ id: u.job.eventId, accepted: u.accepted, at: Date.parse(u.job.at) });
    }
    if (u.kind === 'click') {
      const e = u.event;
      const c = counts.get(e.influencerId) as { purchaseClicks: number; reviewClicks: number; botClicks: number };
      const entries = clickEntries.get(e.influencerId) as Record<string, number>;
      if (!e.human || e.flagged) {
        c.botClicks++;
        entries.bot_click = (entries.bot_click ?? 0) + 1;
      } else if (e.link === 'purchase') {
        c.purchaseClicks++;
        entries.purchase_click = (entries.purchase_click ?? 0) + 1;
        observe(e.influencerId, { firstPurchaseClickAt: new Date(e.at) });
      } else {
        c.reviewClicks++;
        entries.review_click = (entries.review_click ?? 0) + 1;
        observe(e.influencerId, { firstReviewClickAt: new Date(e.at) });
      }
    }
  }
  const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);
  const expected = new Map<string, ExpectedInfluencer>();
  const shownSubmission = new Map<string, { id: string; accepted: boolean }>();
  ids.forEach((id, i) => {
    const f = facts.get(id) as StatusFacts;
    const derived = deriveStatus(f);
    expected.set(id, {
      instagramHandle: handles[i] as string,
      status: derived.status,
      signedUpAt: iso(f.signedUpAt),
      purchasedAt: iso(derived.purchasedAt),
      doneAt: iso(derived.doneAt),
      followedUpAt: iso(derived.followedUpAt),
      ...(counts.get(id) as { purchaseClicks: number; reviewClicks: number; botClicks: number }),
    });
    // An accepted post over a rejected one, then the latest, then the larger id.
    const shown = [...(submissions.get(id) ?? [])].sort(
      (a, b) => Number(b.accepted) - Number(a.accepted) || b.at - a.at || (a.id < b.id ? 1 : -1),
    )[0];
    if (shown) shownSubmission.set(id, { id: shown.id, accepted: shown.accepted });
  });
  return { expected, shownSubmission, clickEntries };
}

function orderingsOf(deliveries: Delivery[], uniques: Unique[]): Workload['orderings'] {
  const firstSignup = new Map<string, number>();
  const firstAcceptance = new Map<string, number>();
  const firstPurchaseClick = new Map<string, number>();
  const accepted = new Set(uniques.flatMap((u) => (u.kind === 'submission' && u.accepted ? [u.job.eventId] : [])));
  deliveries.forEach((d, i) => {
    const note = (m: Map<string, number>, id: string) => m.has(id) || m.set(id, i);
    if (d.queue === 'signups') note(firstSignup, d.data.influencerId);
    if (d.queue === 'submissions' && accepted.has(d.data.eventId)) note(firstAcceptance, d.data.influencerId);
    if (d.queue === 'clicks')
      for (const e of d.data.events)
        if (e.link === 'purchase' && e.human && !e.flagged) note(firstPurchaseClick, e.influencerId);
  });
  const out = { clickBeforeSignup: 0, reviewClickBeforeAcceptance: 0, submissionBeforePurchaseClick: 0 };
  deliveries.forEach((d, i) => {
    if (d.queue === 'clicks') {
      for (const e of d.data.events) {
        if (i < (firstSignup.get(e.influencerId) ?? Infinity)) out.clickBeforeSignup++;
        if (e.link === 'review' && e.human && i < (firstAcceptance.get(e.influencerId) ?? -1))
          out.reviewClickBeforeAcceptance++;
      }
    }
    if (d.queue === 'submissions' && i < (firstPurchaseClick.get(d.data.influencerId) ?? Infinity))
      out.submissionBeforePurchaseClick++;
  });
  return out;
}
