/**
 * One payout provider interface, chosen by the operator (`PAYOUT_PROVIDER`) and per brand (`manual`). The
 * payout processor owns the protocol (record the intent, send with the attempt's key, reconcile, follow); a
 * provider only talks to its service.
 */

/** One attempt at paying one reimbursement. */
export interface PayoutOrder {
  reimbursementId: string;
  attempt: number;
  /** the attempt's idempotency key: every send of one attempt carries the same one */
  key: string;
  /** a decimal string with the currency's minor digits */
  amount: string;
  currency: string;
  /** the influencer's payout address (decrypted only here; never logged) */
  receiver: string;
  /** shown to the influencer by the provider */
  note: string;
}

/** Where an attempt stands at the provider. `failed` is final and means no money reached the influencer. */
export type AttemptStatus =
  | { kind: 'in_flight'; batchId: string; itemId?: string; status: string }
  | { kind: 'paid'; batchId: string; itemId: string; reference: string }
  | { kind: 'failed'; batchId?: string; itemId?: string; reason: string };

export interface PayoutProvider {
  readonly name: 'paypal' | 'manual';
  /**
   * Sends the attempt, or finds it if an earlier send of the same key reached the provider: safe to call any
   * number of times. `manual` means nothing is sent: the brand's finance team pays and records it.
   */
  submit(order: PayoutOrder): Promise<AttemptStatus | { kind: 'manual' }>;
  /** The attempt's status now, by the batch a submit returned. */
  check(batchId: string, order: Pick<PayoutOrder, 'reimbursementId'>): Promise<AttemptStatus>;
}

/** The sending account lacks the money: nothing was sent, nothing failed; payouts pause and retry later. */
export class InsufficientFundsError extends Error {
  constructor(readonly debugId?: string) {
    super('the payout account lacks funds (INSUFFICIENT_FUNDS)');
    this.name = 'InsufficientFundsError';
  }
}

/**
 * The provider could not be asked or did not answer (timeout, 5xx, refused credentials): the attempt may or may
 * not have been made, so it is retried with the same key, which finds it if it was.
 */
export class ProviderUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ProviderUnavailableError';
  }
}
