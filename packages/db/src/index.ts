import type { Connection } from 'mongoose';
import type { OrderRow } from '@seedline/domain';
import { attributionRepository } from './attribution/attribution.repository.js';
import { blockedInfluencerRepository } from './returns/blocked-influencer.repository.js';
import { statementStore } from './statements/statement-store.js';
import { returnsRepository } from './returns/returns.repository.js';
import { orderMatcher } from './orders/order-match.js';
import { orderLines } from './orders/order-lines.js';
import { brandRepository } from './brands/brand.repository.js';
import { campaignRepository } from './campaigns/campaign.repository.js';
import { recountCampaign, type RecountReport } from './counters/recount.js';
import { stageCounters } from './counters/stage-counters.js';
import { eventRepository } from './events/event.repository.js';
import { influencerQueries } from './influencers/influencer.queries.js';
import { influencerRepository } from './influencers/influencer.repository.js';
import { reminderRepository } from './reminders/reminder.repository.js';
import { unsubscribeRepository } from './reminders/unsubscribe.repository.js';
import { brandActions } from './reimbursements/brand-actions.js';
import { dueReimbursements } from './reimbursements/due.js';
import { recountLedger, type LedgerRecount } from './reimbursements/recount.js';
import { reimbursementRepository } from './reimbursements/reimbursement.repository.js';
import type { MoveListener } from './reimbursements/transition.js';
import { instagramRepository } from './instagram/instagram.repository.js';
import { webhookDeliveryRepository } from './webhooks/webhook-delivery.repository.js';
import { webhookEndpointRepository } from './webhooks/webhook-endpoint.repository.js';
import { payoutRepository } from './payouts/payout-progress.js';
import { runSchemaSteps } from './schema-setup.js';

export * from './connect.js';
export * from './mongo-errors.js';
export * from './brands/brand.schema.js';
export * from './brands/brand.repository.js';
export * from './campaigns/campaign.schema.js';
export * from './campaigns/campaign.repository.js';
export * from './campaigns/campaign.cache.js';
export * from './influencers/influencer.schema.js';
export * from './influencers/influencer.repository.js';
export * from './influencers/influencer.queries.js';
export * from './influencers/influencer.status.js';
export * from './influencers/influencer.removal.js';
export * from './counters/stage-counter.schema.js';
export * from './counters/stage-counters.js';
export * from './counters/recount.js';
export * from './events/event.schema.js';
export * from './events/event.repository.js';
export * from './reminders/reminder.schema.js';
export * from './reminders/reminder.repository.js';
export * from './reminders/unsubscribe.repository.js';
export * from './attribution/attribution.schema.js';
export * from './attribution/attribution.repository.js';
export * from './reimbursements/reimbursement.schema.js';
export * from './reimbursements/entry.schema.js';
export * from './reimbursements/budget.schema.js';
export * from './reimbursements/budget.js';
export * from './reimbursements/transition.js';
export * from './reimbursements/reimbursement.repository.js';
export * from './reimbursements/brand-actions.js';
export * from './reimbursements/due.js';
export * from './reimbursements/recount.js';
export * from './returns/blocked-influencer.schema.js';
export * from './returns/blocked-influencer.repository.js';
export * from './instagram/instagram.schema.js';
export * from './instagram/instagram.repository.js';
export * from './webhooks/webhook-endpoint.repository.js';
export * from './webhooks/webhook-delivery.repository.js';
export * from './payouts/payout-progress.js';
export * from './statements/statement-store.js';
export * from './returns/return-record.schema.js';
export * from './returns/returns.repository.js';
export * from './orders/order-match.js';

export interface RepositoryOptions {
  onCounterFoldError?: (err: unknown) => void;
  /** every reimbursement move, once recorded (the apps turn it into the brand's webhook) */
  onReimbursementMove?: MoveListener;
}

export function createRepositories(conn: Connection, opts: RepositoryOptions = {}) {
  const events = eventRepository(conn);
  const counters = stageCounters(conn, { onFoldError: opts.onCounterFoldError });
  const influencers = influencerRepository(conn, events, counters);
  const campaigns = campaignRepository(conn);
  const reimbursements = reimbursementRepository(conn, events, opts.onReimbursementMove);
  const blocked = blockedInfluencerRepository(conn);
  const lines = orderLines(conn);
  const orders = orderMatcher(conn, reimbursements, lines);
  return {
    conn,
    brands: brandRepository(conn),
    campaigns,
    events,
    counters,
    influencers,
    influencerQueries: influencerQueries(conn, counters),
    reminders: reminderRepository(conn),
    unsubscribes: unsubscribeRepository(conn, events),
    attribution: attributionRepository(conn),
    /** the ledger: find, transition (compare-and-set + entry), list approved, totals (reimbursements/) */
    reimbursements,
    /** approve, reject, mark paid, retry, bulk approve: each idempotent */
    reimbursementActions: brandActions(reimbursements),
    /** the payouts processor's progress on the attempt in flight, and its sweep's lists (payouts/) */
    payouts: payoutRepository(conn),
    /** proofs and status changes that make reimbursements due (the worker's side) */
    dueReimbursements: dueReimbursements(reimbursements, influencers, campaigns, orders),
    /** Re-sums a campaign's ledger against its documents and budget; `repair` fixes the budget's commitment. */
    recountLedger(campaignId: string, o: { repair: boolean }): Promise<LedgerRecount> {
      return recountLedger(conn, reimbursements.transitionRecord, campaignId, o);
    },
    blocked,
    /** Amazon returns reports matched to the brand's reimbursements */
    returns: returnsRepository(conn, reimbursements, blocked),
    /** the brand's Amazon orders report matched to proofs of purchase */
    applyOrders: (brandId: string, rows: readonly OrderRow[]) => orders.apply(brandId, rows),
    orderLines: lines,
    /** the ledger's moves per week and the frozen statements of closed weeks */
    statements: statementStore(conn, reimbursements.transitionRecord),
    instagram: instagramRepository(conn),
    webhookEndpoints: webhookEndpointRepository(conn),
    webhookDeliveries: webhookDeliveryRepository(conn),
    /** Compares a campaign's stage counters with its documents; with `repair`, puts them right. */
    recount(campaignId: string, o: { repair: boolean }): Promise<RecountReport> {
      return recountCampaign(conn, counters, (id) => influencers.reconcileStatus(id, 'recount'), campaignId, o);
    },
    /** Every campaign's id, for a recount of all. */
    async campaignIds(): Promise<string[]> {
      const docs = await conn
        .collection('campaigns')
        .find({}, { projection: { _id: 1 } })
        .toArray();
      return docs.map((d) => String(d._id));
    },
  };
}
export type Repositories = ReturnType<typeof createRepositories>;

/** What brand webhooks' fan-out and deliveries read and write: the worker gives them a connection of their own. */
export function webhookRepositories(conn: Connection) {
  return { webhookEndpoints: webhookEndpointRepository(conn), webhookDeliveries: webhookDeliveryRepository(conn) };
}
export type WebhookRepositories = ReturnType<typeof webhookRepositories>;

/** Creates collections and indexes; every app calls it at boot (idempotent). */
export async function ensureIndexes(repos: Repositories): Promise<void> {
  await runSchemaSteps([
    () => repos.brands.ensureIndexes(),
    () => repos.campaigns.ensureIndexes(),
    () => repos.events.ensureIndexes(),
    () => repos.influencers.ensureIndexes(),
    () => repos.counters.ensureIndexes(),
    () => repos.reminders.ensureIndexes(),
    () => repos.attribution.ensureIndexes(),
    () => repos.reimbursements.ensureIndexes(),
    () => repos.blocked.ensureIndexes(),
    () => repos.instagram.ensureIndexes(),
    () => repos.webhookEndpoints.ensureIndexes(),
    () => repos.webhookDeliveries.ensureIndexes(),
    () => repos.returns.ensureIndexes(),
    () => repos.orderLines.ensureIndexes(),
  ]);
}
