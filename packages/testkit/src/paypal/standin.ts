import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { validateCreate } from './validate.js';
import {
  batchBody,
  createdBody,
  errors,
  itemBody,
  MONEY_OUT,
  TRANSACTION_STATUSES,
  tokenBody,
  type StandInBatch,
  type StandInItem,
  type TransactionStatus,
} from './shapes.js';

/** What the stand-in does wrong on purpose; changed at run time through `PUT /__standin/faults`. */
export interface PayPalFaults {
  /** share of `/v1` calls answered `500 INTERNAL_SERVER_ERROR` without doing anything */
  errorRate: number;
  /** share of create calls that make the payout and then never answer: the client times out */
  timeoutAfterPayRate: number;
  /** every create is refused with `422 INSUFFICIENT_FUNDS` */
  insufficientFunds: boolean;
  /** how long an item stays in a status before the next one of its plan (PENDING first) */
  settleMs: number;
  /** the statuses an item goes through after PENDING, by receiver; anyone else: `["SUCCESS"]` */
  outcomes: Record<string, TransactionStatus[]>;
  /** `expires_in` of new tokens, in seconds */
  tokenExpiresIn: number;
}

export interface LedgerItem {
  payoutBatchId: string;
  senderBatchId: string;
  senderItemId: string | undefined;
  payoutItemId: string;
  receiver: string;
  amount: { value: string; currency: string };
  status: TransactionStatus;
  /** money left the account and has not come back */
  moneyOut: boolean;
}

export interface PayPalCalls {
  token: number;
  create: number;
  getBatch: number;
  getItem: number;
  duplicates: number;
  insufficientFunds: number;
  errors5xx: number;
  timedOut: number;
  unauthorized: number;
}

export const DEFAULT_FAULTS: PayPalFaults = {
  errorRate: 0,
  timeoutAfterPayRate: 0,
  insufficientFunds: false,
  settleMs: 200,
  outcomes: {},
  tokenExpiresIn: 32_400,
};

const MAX_BODY = 1 << 20;
const id = (n: number) => randomBytes(n).toString('hex').toUpperCase().slice(0, n);

/**
 * A local stand-in of the PayPal Payouts API v1 over real HTTP (see `shapes.ts` for the documents each answer
 * follows), with a ledger of the money it sent so tests can check that nothing was paid twice. Loopback only.
 */
export class PayPalStandIn {
  private server: Server | undefined;
  private readonly hung = new Set<ServerResponse>();
  private readonly tokens = new Map<string, number>();
  private readonly batches = new Map<string, StandInBatch>();
  private readonly bySenderBatchId = new Map<string, string>();
  private readonly items = new Map<string, StandInItem>();
  /** fault rates are met exactly, not by chance: each knob accrues its rate per call and faults at 1 */
  private readonly accrued = { error: 0, timeout: 0 };
  faults: PayPalFaults = { ...DEFAULT_FAULTS, outcomes: {} };
  calls: PayPalCalls = PayPalStandIn.noCalls();
  url = '';

  constructor(
    readonly clientId = 'seedline-standin-client',
    readonly clientSecret = 'seedline-standin-secret',
  ) {}

  private static noCalls(): PayPalCalls {
    return {
      token: 0,
      create: 0,
      getBatch: 0,
      getItem: 0,
      duplicates: 0,
      insufficientFunds: 0,
      errors5xx: 0,
      timedOut: 0,
      unauthorized: 0,
    };
  }

  async listen(port = 0, host = '127.0.0.1'): Promise<string> {
    const server = createServer((req, res) => {
      this.handle(req, res).catch((err: Error) => this.send(res, 500, { ...errors.internal(), message: err.message }));
    });
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => resolve());
    });
    this.url = `http://${host}:${(server.address() as AddressInfo).port}`;
    return this.url;
  }

  async close(): Promise<void> {
    for (const res of this.hung) res.destroy();
    this.hung.clear();
    const server = this.server;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  reset(): void {
    this.tokens.clear();
    this.batches.clear();
    this.bySenderBatchId.clear();
    this.items.clear();
    this.faults = { ...DEFAULT_FAULTS, outcomes: {} };
    this.calls = PayPalStandIn.noCalls();
    this.accrued.error = 0;
    this.accrued.timeout = 0;
  }

  /** Forgets every token, as PayPal does when one is revoked: the next call with one answers 401. */
  revokeTokens(): void {
    this.tokens.clear();
  }

  setFaults(patch: Partial<PayPalFaults>): PayPalFaults {
    this.faults = { ...this.faults, ...patch, outcomes: { ...this.faults.outcomes, ...(patch.outcomes ?? {}) } };
    return this.faults;
  }

  /** Every item ever created, with its status now. */
  ledger(): LedgerItem[] {
    return [...this.items.values()].map((item) => {
      this.advance(item);
      return {
        payoutBatchId: item.payoutBatchId,
        senderBatchId: item.senderBatchId,
        senderItemId: item.senderItemId,
        payoutItemId: item.payoutItemId,
        receiver: item.receiver,
        amount: item.amount,
        status: item.status,
        moneyOut: MONEY_OUT.has(item.status),
      };
    });
  }

  /** Moves an item to a status at once (what PayPal does when a recipient claims, or money comes back). */
  setItemStatus(payoutItemId: string, status: TransactionStatus): boolean {
    const item = this.items.get(payoutItemId);
    if (!item) return false;
    item.status = status;
    item.plan = [];
    item.changedAt = Date.now();
    return true;
  }

  /** Whether this call is one to fault: exactly `rate` of the calls, spread evenly. */
  private due(knob: 'error' | 'timeout', rate: number): boolean {
    this.accrued[knob] += rate;
    if (this.accrued[knob] < 1 - 1e-9) return false;
    this.accrued[knob] -= 1;
    return true;
  }

  /** Items change status lazily, when read: PENDING, then each status of the plan after `settleMs`. */
  private advance(item: StandInItem): void {
    const now = Date.now();
    while (item.plan.length > 0 && now - item.changedAt >= this.faults.settleMs) {
      item.status = item.plan.shift() as TransactionStatus;
      item.changedAt = now;
    }
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://standin');
    // Trailing slashes cut by a backwards scan: the lint refuses `/\/+$/` (quadratic on a long run).
    let end = url.pathname.length;
    while (end > 0 && url.pathname[end - 1] === '/') end--;
    const path = url.pathname.slice(0, end);
    const base = `http://${req.headers.host ?? '127.0.0.1'}`;
    if (path.startsWith('/__standin/')) return this.control(req, res, path);
    if (!path.startsWith('/v1/')) return this.send(res, 404, errors.notFound());
    if (this.due('error', this.faults.errorRate)) {
      this.calls.errors5xx++;
      return this.send(res, 500, errors.internal());
    }
    if (req.method === 'POST' && path === '/v1/oauth2/token') return this.token(req, res);
    if (!this.authorized(req)) {
      this.calls.unauthorized++;
      return this.send(res, 401, errors.invalidToken());
    }
    if (req.method === 'POST' && path === '/v1/payments/payouts') return this.create(req, res, base);
    const batch = /^\/v1\/payments\/payouts\/([^/]+)$/.exec(path);
    if (req.method === 'GET' && batch) {
      this.calls.getBatch++;
      const found = this.batches.get(decodeURIComponent(batch[1] as string));
      if (!found) return this.send(res, 404, errors.notFound());
      found.items.forEach((i) => this.advance(i));
      return this.send(res, 200, batchBody(base, found));
    }
    const item = /^\/v1\/payments\/payouts-item\/([^/]+)$/.exec(path);
    if (req.method === 'GET' && item) {
      this.calls.getItem++;
      const found = this.items.get(decodeURIComponent(item[1] as string));
      if (!found) return this.send(res, 404, errors.notFound());
      this.advance(found);
      return this.send(res, 200, itemBody(base, found));
    }
    return this.send(res, 404, errors.notFound());
  }

  private async token(req: IncomingMessage, res: ServerResponse): Promise<void> {
    this.calls.token++;
    const body = (await readBody(req)).toString('utf8');
    const expected = Buffer.from(`Basic ${Buffer.from(`${this.clientId}:${this.clientSecret}`).toString('base64')}`);
    const given = Buffer.from(req.headers.authorization ?? '');
    const ok = given.length === expected.length && timingSafeEqual(given, expected);
    if (!ok) return this.send(res, 401, errors.invalidClient());
    if (new URLSearchParams(body).get('grant_type') !== 'client_credentials') {
      return this.send(res, 400, { error: 'unsupported_grant_type', error_description: 'Grant Type is NULL' });
    }
    const accessToken = `A21AA${randomBytes(24).toString('base64url')}`;
    this.tokens.set(accessToken, Date.now() + this.faults.tokenExpiresIn * 1000);
    return this.send(res, 200, tokenBody(accessToken, 'APP-80W284485P519543T', this.faults.tokenExpiresIn));
  }

  private authorized(req: IncomingMessage): boolean {
    const m = /^Bearer (\S+)$/.exec(req.headers.authorization ?? '');
    const expires = m ? this.tokens.get(m[1] as string) : undefined;
    return expires !== undefined && expires > Date.now();
  }

  private async create(req: IncomingMessage, res: ServerResponse, base: string): Promise<void> {
    this.calls.create++;
    let body: unknown;
    try {
      body = JSON.parse((await readBody(req)).toString('utf8'));
    } catch {
      return this.send(res, 400, errors.validation([{ field: '/', issue: 'MALFORMED_REQUEST_JSON' }]));
    }
    const checked = validateCreate(body);
    if ('problems' in checked) return this.send(res, 400, errors.validation(checked.problems));
    const { header, items } = checked;
    const senderBatchId = typeof header.sender_batch_id === 'string' ? header.sender_batch_id : undefined;
    const existing = senderBatchId === undefined ? undefined : this.bySenderBatchId.get(senderBatchId);
    if (existing) {
      this.calls.duplicates++;
      return this.send(res, 400, errors.duplicate(base, existing));
    }
    if (this.faults.insufficientFunds) {
      this.calls.insufficientFunds++;
      return this.send(res, 422, errors.insufficientFunds());
    }
    const now = Date.now();
    const batch: StandInBatch = { payoutBatchId: id(13), senderBatchHeader: header, createdAt: now, items: [] };
    for (const it of items) {
      const item: StandInItem = {
        payoutItemId: id(13),
        transactionId: id(17),
        activityId: id(17),
        payoutBatchId: batch.payoutBatchId,
        senderBatchId: senderBatchId ?? '',
        senderItemId: it.sender_item_id,
        recipientType: it.recipient_type,
        receiver: it.receiver,
        amount: it.amount,
        note: it.note,
        status: 'PENDING',
        plan: [...(this.faults.outcomes[it.receiver] ?? ['SUCCESS'])],
        createdAt: now,
        changedAt: now,
      };
      batch.items.push(item);
      this.items.set(item.payoutItemId, item);
    }
    this.batches.set(batch.payoutBatchId, batch);
    if (senderBatchId !== undefined) this.bySenderBatchId.set(senderBatchId, batch.payoutBatchId);
    if (this.due('timeout', this.faults.timeoutAfterPayRate)) {
      // Paid, and the answer never comes: the client's timeout is all it will see.
      this.calls.timedOut++;
      this.hung.add(res);
      setTimeout(() => {
        this.hung.delete(res);
        res.destroy();
      }, 120_000).unref();
      return;
    }
    return this.send(res, 201, createdBody(base, batch));
  }

  private async control(req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
    if (req.method === 'GET' && path === '/__standin/health') return this.send(res, 200, { ok: true });
    if (req.method === 'GET' && path === '/__standin/ledger') {
      return this.send(res, 200, { items: this.ledger(), calls: this.calls });
    }
    if (req.method === 'GET' && path === '/__standin/faults') return this.send(res, 200, this.faults);
    if (req.method === 'PUT' && path === '/__standin/faults') {
      const patch = JSON.parse((await readBody(req)).toString('utf8') || '{}') as Partial<PayPalFaults>;
      return this.send(res, 200, this.setFaults(patch));
    }
    if (req.method === 'POST' && path === '/__standin/reset') {
      this.reset();
      return this.send(res, 200, { ok: true });
    }
    const item = /^\/__standin\/items\/([^/]+)$/.exec(path);
    if (req.method === 'POST' && item) {
      const { status } = JSON.parse((await readBody(req)).toString('utf8') || '{}') as { status?: string };
      const known = TRANSACTION_STATUSES.find((s) => s === status);
      if (!known) return this.send(res, 400, { error: `status must be one of ${TRANSACTION_STATUSES.join(', ')}` });
      return this.setItemStatus(decodeURIComponent(item[1] as string), known)
        ? this.send(res, 200, { ok: true })
        : this.send(res, 404, errors.notFound());
    }
    return this.send(res, 404, { error: 'unknown control route' });
  }

  private send(res: ServerResponse, status: number, body: unknown): void {
    if (res.headersSent || res.destroyed) return;
    const json = JSON.stringify(body);
    res.writeHead(status, {
      'Content-Type': 'application/json',
      'Content-Length': Buffer.byteLength(json),
      'Paypal-Debug-Id': id(13).toLowerCase(),
    });
    res.end(json);
  }
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY) throw new Error('request body too large');
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}
