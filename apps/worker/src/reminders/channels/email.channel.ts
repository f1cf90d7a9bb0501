import { composeReminderEmail, redactEmails, type NoticeEmail, type ReminderEmail } from '@seedline/domain';
import nodemailer, { type Transporter } from 'nodemailer';
import type { WorkerConfig } from '../../config.js';
import { DeliveryError, type ReminderChannel, type ReminderDelivery } from './channel.js';

type EmailConfig = Pick<WorkerConfig, 'SMTP_URL' | 'REMINDER_FROM' | 'SMTP_TIMEOUT_MS' | 'SMTP_POOL_SIZE'>;

/** The SMTP commands whose 5xx speaks about this recipient or this message, not about our own setup. */
const MAILBOX_COMMANDS = new Set(['RCPT TO', 'DATA']);

interface SmtpError extends Error {
  code?: string;
  command?: string;
  response?: string;
  responseCode?: number;
}

/**
 * A 5xx to RCPT TO or DATA is the mailbox (or the message) refused for good: retrying cannot help. Anything
 * else (no connection, a timeout, a 4xx, or a 5xx about our sender or login, which is ours to fix) passes.
 */
export function classifySmtpError(err: SmtpError): DeliveryError {
  // The reason goes to logs and the influencer's timeline: no recipient address may ride along.
  const reply = err.response ? redactEmails(err.response.trim()) : undefined;
  if (reply && (err.responseCode ?? 0) >= 500 && MAILBOX_COMMANDS.has(err.command ?? '')) {
    return new DeliveryError(`refused by the mail server (${err.command}): ${reply}`, true);
  }
  const what = reply
    ? `the mail server answered ${reply}${err.command ? ` to ${err.command}` : ''}`
    : redactEmails(err.message);
  return new DeliveryError(what, false);
}

/**
 * Reminder emails over SMTP: one pooled transport per worker (connections are reused across reminders), and
 * timeouts on connecting, the greeting and every command, so a hung server fails an attempt instead of a job.
 */
export class EmailChannel implements ReminderChannel {
  readonly name = 'email' as const;
  private readonly transport: Transporter;

  constructor(private readonly config: EmailConfig) {
    this.transport = nodemailer.createTransport({
      url: config.SMTP_URL,
      pool: true,
      maxConnections: config.SMTP_POOL_SIZE,
      connectionTimeout: config.SMTP_TIMEOUT_MS,
      greetingTimeout: config.SMTP_TIMEOUT_MS,
      socketTimeout: config.SMTP_TIMEOUT_MS,
      // Templates come from brands: never let one pull a local file or a URL into a message.
      disableFileAccess: true,
      disableUrlAccess: true,
    } as never);
  }

  cannotReach(d: ReminderDelivery): string | null {
    return d.influencer.email ? null : 'no email address';
  }

  compose(d: ReminderDelivery): ReminderEmail {
    const { settings } = d.campaign;
    return composeReminderEmail({
      reminderId: d.reminderId,
      stage: d.stage,
      from: this.config.REMINDER_FROM,
      to: d.influencer.email ?? '',
      replyTo: settings.replyTo,
      template: settings.templates[d.stage],
      values: {
        handle: d.influencer.instagramHandle ?? '',
        campaignName: d.campaign.name,
        brandName: d.campaign.brandName,
        link: d.stage === 'purchase' ? d.links.purchase : d.links.review,
        submitLink: d.links.submit,
        unsubscribeLink: d.unsubscribeUrl,
      },
    });
  }

  async deliver(d: ReminderDelivery): Promise<string> {
    const email = this.compose(d);
    try {
      const info = await this.transport.sendMail({
        from: email.from,
        to: email.to,
        ...(email.replyTo ? { replyTo: email.replyTo } : {}),
        subject: email.subject,
        text: email.text,
        html: email.html,
        messageId: email.messageId,
        headers: email.headers,
      });
      return redactEmails(String(info.response ?? 'accepted').trim());
    } catch (err) {
      throw classifySmtpError(err as SmtpError);
    }
  }

  /** Another kind of email through the same pooled transport (reimbursement notices); errors as deliver's. */
  async send(email: NoticeEmail): Promise<string> {
    try {
      const info = await this.transport.sendMail({
        from: email.from,
        to: email.to,
        subject: email.subject,
        text: email.text,
        messageId: email.messageId,
      });
      return redactEmails(String(info.response ?? 'accepted').trim());
    } catch (err) {
      throw classifySmtpError(err as SmtpError);
    }
  }

  close(): Promise<void> {
    this.transport.close();
    return Promise.resolve();
  }
}
