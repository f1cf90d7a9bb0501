import type { EntryDoc, ReimbursementDoc, Repositories } from '@seedline/db';
import {
  formatMoney,
  nextAttempt,
  openText,
  payoutRecord,
  senderBatchIdOf,
  type DataKey,
  type PayoutRecord,
} from '@seedline/domain';
import type { Logger } from 'pino';
import type { FundsPause } from './funds-pause.js';
import { InsufficientFundsError, type AttemptStatus, type PayoutOrder, type PayoutProvider } from './provider.js';

export type PayoutOutcome =
  | {
      outcome: 'paid' | 'failed' | 'in_flight' | 'manual' | 'settled' | 'missing' | 'provider_off' | 'reversed';
      state?: string;
    }
  | { outcome: 'paused' };

/** Thrown after a pause was recorded: the processor turns it into BullMQ's rate-limit signal. */
export class PayoutsPausedError extends Error {
  constructor() {
    super('payouts paused: insufficient funds');
    this.name = 'PayoutsPausedError';
  }
}

const SOURCE = 'payouts';

/**
 * The exactly-once protocol for one reimbursement (see the README's "Payouts" section). Every step re-reads
 * the reimbursement and moves it only by compare-and-set, so any number of jobs, redeliveries and workers may
 * run it at once: they agree on one attempt, send it under one key, and only one of them records the end.
 *
 * 1. `approved`: record the intent first: `approved → sending` with the attempt (the last one while it is not
 *    over, else the next) and its key on the reimbursement. Nothing is sent before that write.
 * 2. `sending`: without a batch id, send the attempt (a resend of the same key finds an earlier send); with
 *    one, look the attempt up. Record what the provider said.
 * 3. Paid: `sending → paid` with the provider's reference. Failed (final, no money sent): `sending → failed`
 *    with its reason, the attempt marked over so a retry may start the next one. Still in flight: stays
 *    `sending`, looked up again by the sweep.
 */
export class PayoutRunner {
  constructor(
    private readonly deps: {
      repos: Repositories;
      /** the operator's provider; `manual` when PayPal is not configured */
      provider: PayoutProvider;
      /** a brand set to manual pays itself */
      brandProvider: (brandId: string) => Promise<'paypal' | 'manual' | undefined>;
      dataKey: DataKey;
      pause: FundsPause;
      logger: Logger;
      /** the move's email (and nothing else: a payout's end queues no payout), queued once it is recorded */
      followUps: (entries: EntryDoc[]) => Promise<void>;
    },
  ) {}

  async run(reimbursementId: string): Promise<PayoutOutcome> {
    const { repos } = this.deps;
    let doc = await repos.reimbursements.findById(reimbursementId);
    for (let step = 0; step < 4 && doc; step++) {
      if (doc.state === 'approved') {
        const started = await this.start(doc);
        if ('outcome' in started) return started;
        doc = started.doc;
        continue;
      }
      if (doc.state === 'paid') return this.watch(doc);
      if (doc.state !== 'sending') return { outcome: 'settled', state: doc.state };
      return this.follow(doc);
    }
    return doc ? { outcome: 'settled', state: doc.state } : { outcome: 'missing' };
  }

  /** `approved → sending`, recording the attempt before anything is sent. */
  private async start(doc: ReimbursementDoc): Promise<{ doc: ReimbursementDoc | null } | PayoutOutcome> {
    const { provider, repos } = this.deps;
    const brandChoice = await this.deps.brandProvider(doc.brandId);
    if (provider.name === 'manual' || brandChoice === 'manual') return { outcome: 'manual', state: doc.state };
    const last = this.record(doc);
    const { attempt, fresh } = nextAttempt(last);
    const set: Record<string, unknown> = fresh
      ? {
          payout: {
            attempt,
            key: senderBatchIdOf(doc._id, attempt),
            provider: provider.name,
            final: false,
            startedAt: new Date(),
          },
        }
      : {};
    const moved = await repos.reimbursements.transition(doc._id, {
      from: ['approved'],
      to: 'sending',
      source: SOURCE,
      attempt,
      note: `payout attempt ${attempt} (${provider.name})`,
      set,
    });
    if (moved.ok) return { doc: moved.doc };
    if (moved.code === 'not_found') return { outcome: 'missing' };
    return { doc: await repos.reimbursements.findById(doc._id) };
  }

  private async follow(doc: ReimbursementDoc): Promise<PayoutOutcome> {
    const { provider, logger } = this.deps;
    const record = this.record(doc);
    if (!record) {
      // `sending` without an attempt was not written by us: never guessed at, left for a person.
      logger.error({ reimbursementId: doc._id }, 'reimbursement is sending without a payout attempt on record');
      return { outcome: 'in_flight', state: doc.state };
    }
    if (provider.name !== record.provider) {
      logger.warn({ reimbursementId: doc._id }, `payout attempt in flight at ${record.provider}, which is off`);
      return { outcome: 'provider_off', state: doc.state };
    }
    const status = record.batchId
      ? await provider.check(record.batchId, { reimbursementId: doc._id })
      : await this.send(doc, record);
    return this.settle(doc, record, status);
  }

  /**
   * A paid attempt looked up again (the sweep's reversal watch): the provider may take a payout back after it
   * succeeded (PayPal: REVERSED, REFUNDED). Then `paid → failed` with its reason, a `payout_reversed` line on the
   * brand's statement, and the amount back in the budget; a brand's retry starts the next attempt.
   */
  private async watch(doc: ReimbursementDoc): Promise<PayoutOutcome> {
    const { provider, repos, logger } = this.deps;
    const record = this.record(doc);
    if (!record?.batchId || !record.final || provider.name !== record.provider)
      return { outcome: 'settled', state: doc.state };
    const status = await provider.check(record.batchId, { reimbursementId: doc._id });
    if (status.kind !== 'failed') {
      await repos.payouts.recordWatched(doc._id, record.attempt);
      return { outcome: 'settled', state: doc.state };
    }
    const moved = await repos.reimbursements.transition(doc._id, {
      from: ['paid'],
      to: 'failed',
      source: SOURCE,
      attempt: record.attempt,
      reason: status.reason,
      providerRef: status.itemId ?? record.itemId ?? null,
      set: { 'payout.status': status.reason, 'payout.checkedAt': new Date() },
    });
    if (!moved.ok)
      return moved.code === 'not_found' ? { outcome: 'missing' } : { outcome: 'settled', state: doc.state };
    logger.warn({ reimbursementId: doc._id, reason: status.reason }, 'a paid payout was taken back by the provider');
    await this.deps.followUps([moved.entry]);
    return { outcome: 'reversed', state: moved.doc.state };
  }

  private async send(doc: ReimbursementDoc, record: PayoutRecord): Promise<AttemptStatus> {
    const { provider, dataKey, pause } = this.deps;
    const receiver = doc.proof ? openText(doc.proof.payoutEmail, dataKey) : null;
    if (receiver === null || doc.amount === null) {
      // Without the address the attempt cannot be sent again, nor found (PayPal is asked by resending): it is
      // never failed on a guess. DATA_KEY is wrong, or the proof went missing: an operator must look.
      throw new Error(`reimbursement ${doc._id}: the payout address cannot be opened (DATA_KEY?)`);
    }
    const order: PayoutOrder = {
      reimbursementId: doc._id,
      attempt: record.attempt,
      key: record.key,
      amount: formatMoney(doc.amount, doc.currency),
      currency: doc.currency,
      receiver,
      note: 'Your product reimbursement',
    };
    try {
      const sent = await provider.submit(order);
      if (sent.kind === 'manual') throw new Error('the manual provider cannot follow a payout attempt');
      await pause.resumed(provider.name);
      return sent;
    } catch (err) {
      if (!(err instanceof InsufficientFundsError)) throw err;
      await pause.pause(provider.name, err.debugId);
      throw new PayoutsPausedError();
    }
  }

  private async settle(doc: ReimbursementDoc, record: PayoutRecord, status: AttemptStatus): Promise<PayoutOutcome> {
    const { repos } = this.deps;
    const progress = {
      ...(status.batchId ? { batchId: status.batchId } : {}),
      ...(status.itemId ? { itemId: status.itemId } : {}),
      status: status.kind === 'in_flight' ? status.status : status.kind === 'paid' ? 'SUCCESS' : status.reason,
    };
    if (status.kind === 'in_flight') {
      await repos.payouts.recordProgress(doc._id, record.attempt, progress);
      return { outcome: 'in_flight', state: 'sending' };
    }
    // `checkedAt`: the reversal watch's first look at a paid attempt waits its period from now.
    const final = Object.fromEntries(
      Object.entries({ ...progress, final: true, checkedAt: new Date() }).map(([k, v]) => [`payout.${k}`, v]),
    );
    const moved = await repos.reimbursements.transition(doc._id, {
      from: ['sending'],
      to: status.kind === 'paid' ? 'paid' : 'failed',
      source: SOURCE,
      attempt: record.attempt,
      ...(status.kind === 'paid'
        ? { providerRef: status.reference, set: { ...final, paymentReference: status.reference } }
        : { reason: status.reason, providerRef: status.itemId ?? status.batchId ?? null, set: final }),
    });
    if (moved.ok) {
      // The influencer hears of it now, not at the next sweep of owed emails.
      await this.deps.followUps([moved.entry]);
      // A return found while this payout was being sent waited for it: its credit (or cancellation) now.
      await repos.returns.settlePendingOf(doc._id);
      return { outcome: status.kind, state: moved.doc.state };
    }
    // Another worker settled it first (the same answer from the same provider), or it is gone.
    return moved.code === 'not_found' ? { outcome: 'missing' } : { outcome: 'settled', state: moved.doc.state };
  }

  /** The `payout` field as this processor wrote it, parsed (never cast); null when there is none. */
  private record(doc: ReimbursementDoc): PayoutRecord | null {
    if (doc.payout === undefined || doc.payout === null) return null;
    const parsed = payoutRecord.safeParse(doc.payout);
    if (!parsed.success) throw new Error(`reimbursement ${doc._id}: unreadable payout record`);
    return parsed.data;
  }
}
