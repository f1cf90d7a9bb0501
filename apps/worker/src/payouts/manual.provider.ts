import type { PayoutProvider } from './provider.js';

/**
 * The brand's finance team pays by its own means (`GET /v1/campaigns/:id/payouts.csv` of approved items, then
 * `POST .../reimbursements/:rid/paid {reference}`): nothing is sent, approved reimbursements wait for that.
 */
export class ManualProvider implements PayoutProvider {
  readonly name = 'manual';

  submit() {
    return Promise.resolve({ kind: 'manual' as const });
  }

  check(): never {
    throw new Error('the manual provider sends nothing, so it has nothing to check');
  }
}
