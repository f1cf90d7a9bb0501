import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Delivery {
  id: string;
  body: Record<string, unknown>;
  /** whether X-Seedline-Signature is the sha256 HMAC of the raw body with the secret */
  signed: boolean;
  /** what the receiver answered */
  status: number;
  at: number;
}

/**
 * A reminder webhook receiver on a free local port: records every delivery, checks its signature, and can
 * refuse the first deliveries of chosen reminders to exercise the sender's retries.
 */
export class WebhookReceiver {
  readonly deliveries: Delivery[] = [];
  private server: Server | undefined;
  private readonly refusals = new Map<string, number>();

  constructor(
    private readonly secret: string,
    /** how many times to answer 500 before 200, by the reminder's instagramHandle */
    private readonly failuresFor: (handle: string) => number = () => 0,
  ) {}

  async start(): Promise<string> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const raw = Buffer.concat(chunks);
        const body = JSON.parse(raw.toString('utf8')) as Record<string, unknown>;
        const expected = Buffer.from(`sha256=${createHmac('sha256', this.secret).update(raw).digest('hex')}`);
        const given = Buffer.from(String(req.headers['x-seedline-signature'] ?? ''));
        const signed = given.length === expected.length && timingSafeEqual(given, expected);
        const id = String(body.id);
        const refused = this.refusals.get(id) ?? 0;
        const status = refused < this.failuresFor(String(body.instagramHandle)) ? 500 : 200;
        if (status === 500) this.refusals.set(id, refused + 1);
        this.deliveries.push({ id, body, signed, status, at: Date.now() });
        res.writeHead(status, { 'Content-Type': 'application/json' }).end('{}');
      });
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server?.address() as AddressInfo).port}/hooks/reminders`;
  }

  for(influencerId: string): Delivery[] {
    return this.deliveries.filter((d) => d.body.influencerId === influencerId);
  }

  accepted(influencerId: string): Delivery[] {
    return this.for(influencerId).filter((d) => d.status === 200);
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}
