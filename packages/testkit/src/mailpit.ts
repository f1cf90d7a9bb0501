import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { pollUntil } from './poll.js';
import { freePort } from './ports.js';
import { REPO_ROOT } from './processes.js';

/** The binary scripts/services/mailpit.sh built (it writes the path into .run/mailpit.bin). */
export function mailpitBinary(): string {
  const noted = join(REPO_ROOT, '.run', 'mailpit.bin');
  if (existsSync(noted)) return readFileSync(noted, 'utf8').trim();
  const cache =
    process.env.SEEDLINE_CACHE_DIR ?? join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'seedline');
  return join(cache, 'mailpit-v1.33.1-r2', 'mailpit');
}

/** The Mailpit `npm run services` starts, shared by every test: find your own mail by a unique recipient. */
export const SHARED_MAILPIT_API = process.env.MAILPIT_URL ?? 'http://127.0.0.1:8025';
export const SHARED_SMTP_URL = process.env.SMTP_URL ?? 'smtp://127.0.0.1:1025';

export interface MailAddress {
  Address: string;
  Name: string;
}
export interface MailSummary {
  ID: string;
  MessageID: string;
  From: MailAddress;
  To: MailAddress[];
  Subject: string;
  Created: string;
}
export interface MailMessage extends MailSummary {
  ReplyTo: MailAddress[];
  Text: string;
  HTML: string;
}
export interface ChaosTrigger {
  ErrorCode: number;
  Probability: number;
}

/** Mailpit's HTTP API (https://mailpit.axllent.org/docs/api-v1/). */
export class Mailpit {
  constructor(readonly apiUrl: string) {}

  private async json<T>(path: string, init?: RequestInit): Promise<T> {
    const res = await fetch(`${this.apiUrl}${path}`, init);
    if (!res.ok) throw new Error(`Mailpit ${init?.method ?? 'GET'} ${path}: ${res.status} ${await res.text()}`);
    return (await res.json()) as T;
  }

  /** Every message sent to `address` (the search is a substring match: make addresses unique), oldest first. */
  async to(address: string): Promise<MailSummary[]> {
    const found = await this.json<{ messages: MailSummary[] }>(
      `/api/v1/search?limit=500&query=${encodeURIComponent(`to:${address}`)}`,
    );
    return found.messages
      .filter((m) => m.To.some((t) => t.Address === address))
      .sort((a, b) => a.Created.localeCompare(b.Created));
  }

  message(id: string): Promise<MailMessage> {
    return this.json<MailMessage>(`/api/v1/message/${id}`);
  }

  headers(id: string): Promise<Record<string, string[]>> {
    return this.json<Record<string, string[]>>(`/api/v1/message/${id}/headers`);
  }

  /** Makes its SMTP answer with errors (only on a Mailpit started with --enable-chaos). */
  async chaos(triggers: { Sender?: ChaosTrigger; Recipient?: ChaosTrigger }): Promise<void> {
    await this.json('/api/v1/chaos', {
      method: 'PUT',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(triggers),
    });
  }
}

/**
 * A Mailpit of one test file's own, on free ports, with chaos enabled: that test may stop it, start it again
 * (same ports, same mail) and make it fail, without disturbing tests using the shared one.
 */
export class OwnMailpit extends Mailpit {
  private proc: ChildProcess | null = null;
  private exited: Promise<unknown> = Promise.resolve();

  private constructor(
    private readonly httpPort: number,
    readonly smtpPort: number,
    private readonly dir: string,
  ) {
    super(`http://127.0.0.1:${httpPort}`);
  }

  get smtpUrl(): string {
    return `smtp://127.0.0.1:${this.smtpPort}`;
  }

  static async start(): Promise<OwnMailpit> {
    const bin = mailpitBinary();
    if (!existsSync(bin)) throw new Error(`no Mailpit binary at ${bin}: run \`npm run services\` (it builds it once)`);
    const [http, smtp] = await Promise.all([freePort(), freePort()]);
    const own = new OwnMailpit(http, smtp, mkdtempSync(join(tmpdir(), 'seedline-mailpit-')));
    await own.resume();
    return own;
  }

  async resume(): Promise<void> {
    const args = [
      '--listen',
      `127.0.0.1:${this.httpPort}`,
      '--smtp',
      `127.0.0.1:${this.smtpPort}`,
      '--database',
      join(this.dir, 'mail.db'),
    ];
    const proc = spawn(mailpitBinary(), [...args, '--enable-chaos', '--smtp-disable-rdns', '--quiet'], {
      stdio: 'ignore',
    });
    this.proc = proc;
    this.exited = new Promise((resolve) => proc.once('exit', resolve));
    await pollUntil(async () => (await fetch(`${this.apiUrl}/api/v1/info`).catch(() => null))?.ok === true, {
      timeoutMs: 20_000,
      what: 'Mailpit to start',
    });
  }

  /** SIGTERM, and back only when it has gone: its SMTP port refuses connections from then on. */
  async pause(): Promise<void> {
    this.proc?.kill('SIGTERM');
    await this.exited;
    this.proc = null;
  }

  async stop(): Promise<void> {
    await this.pause();
    rmSync(this.dir, { recursive: true, force: true });
  }
}
