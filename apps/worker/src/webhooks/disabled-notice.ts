import type { Repositories, WebhookEndpointDoc } from '@seedline/db';
import nodemailer, { type Transporter } from 'nodemailer';
import type { Logger } from 'pino';
import type { WorkerConfig } from '../config.js';

/**
 * Tells the brand (its `contactEmail`, set with `PATCH /v1/brand`) that an endpoint was disabled; the endpoint
 * itself carries `disabledAt` and `disabledReason` either way. Sent once per disabling (the disable is a
 * compare-and-set); a brand without a contact address is only logged.
 */
export class DisabledNotice {
  private readonly transport: Transporter;

  constructor(
    private readonly repos: Repositories,
    private readonly config: Pick<WorkerConfig, 'SMTP_URL' | 'SMTP_TIMEOUT_MS' | 'REMINDER_FROM'>,
    private readonly logger: Logger,
  ) {
    this.transport = nodemailer.createTransport({
      url: config.SMTP_URL,
      connectionTimeout: config.SMTP_TIMEOUT_MS,
      greetingTimeout: config.SMTP_TIMEOUT_MS,
      socketTimeout: config.SMTP_TIMEOUT_MS,
      disableFileAccess: true,
      disableUrlAccess: true,
    } as never);
  }

  async send(endpoint: WebhookEndpointDoc, reason: 'gone' | 'failing'): Promise<void> {
    const brand = await this.repos.brands.findById(endpoint.brandId);
    const to = brand?.contactEmail;
    if (!to) {
      this.logger.warn(
        { endpointId: endpoint._id, brandId: endpoint.brandId },
        'webhook endpoint disabled; brand has no contactEmail',
      );
      return;
    }
    const why =
      reason === 'gone'
        ? 'it answered 410 Gone, which asks us to stop sending'
        : 'every delivery to it failed for longer than we keep trying';
    const text = [
      `Seedline disabled your webhook endpoint ${endpoint._id} (${endpoint.url}): ${why}.`,
      '',
      'Fix the receiver, then re-enable it with PATCH /v1/webhook-endpoints/' +
        `${endpoint._id} {"enabled": true} and re-send what failed with POST /v1/webhook-endpoints/${endpoint._id}/recover.`,
    ].join('\n');
    try {
      await this.transport.sendMail({
        from: this.config.REMINDER_FROM,
        to,
        subject: `Webhook endpoint disabled: ${endpoint.url}`,
        text,
        messageId: `<webhook-disabled.${endpoint._id}.${Date.now()}@seedline>`,
      });
    } catch (err) {
      this.logger.error({ endpointId: endpoint._id, err: (err as Error).message }, 'webhook disabled notice not sent');
    }
  }

  close(): void {
    this.transport.close();
  }
}
