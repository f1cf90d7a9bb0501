import { createHmac } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { GraphState, type StandinMedia } from './graph-state.js';

export { GraphState, type StandinMedia } from './graph-state.js';

export interface GraphStandinOptions {
  port?: number;
  appId?: string;
  appSecret?: string;
  /** Graph API version in the path (`/v25.0/...`) */
  version?: string;
  /** where `mention` control calls POST the signed `mentions` webhook */
  webhookUrl?: string;
}

type Json = Record<string, unknown>;
const DEFAULT_FIELDS = 'id,username,caption,permalink,timestamp,media_type';
const FIELD_NAMES = new Set(['id', 'username', 'caption', 'permalink', 'timestamp', 'media_type']);

/**
 * A local stand-in of the Instagram Graph API (Instagram API with Facebook Login), on loopback, serving the
 * documented shapes: `/{ig-user-id}/tags` with cursor paging, `business_discovery.username(...)` and
 * `mentioned_media.media_id(...)` field expansions, `/debug_token`, the `fb_exchange_token` grant, error bodies
 * (`error.code`, `error_subcode`, `type`, `fbtrace_id`) and the `X-App-Usage` / `X-Business-Use-Case-Usage`
 * headers. Faults on demand: a share of calls failing, rate-limit errors, reported usage.
 * `POST /_control` (JSON `{action, ...}`) drives it from another process (the quick start).
 */
export class GraphStandin {
  readonly state = new GraphState();
  readonly appId: string;
  readonly appSecret: string;
  readonly version: string;
  webhookUrl: string | undefined;
  /** a share (0–1) of Graph calls that fail with a transient error */
  failRate = 0;
  /** the next N Graph calls answer a rate-limit error (code 4, or 80002 for business use case) */
  rateLimitNext = 0;
  /** the usage percentage reported in the headers */
  usagePercent = 1;
  /** `estimated_time_to_regain_access` (minutes) reported while throttling */
  regainMinutes = 0;
  /** refuse `fb_exchange_token` (a renewal that fails) */
  refuseExchange = false;
  /** every Graph call, by path, for assertions (never the token) */
  readonly calls: { path: string; fields: string | null; status: number }[] = [];
  private server: Server | null = null;
  private portValue = 0;

  constructor(private readonly opts: GraphStandinOptions = {}) {
    this.appId = opts.appId ?? '1234567890';
    this.appSecret = opts.appSecret ?? 'standin-app-secret-0123456789';
    this.version = opts.version ?? 'v25.0';
    this.webhookUrl = opts.webhookUrl;
  }

  get url(): string {
    return `http://127.0.0.1:${this.portValue}/${this.version}`;
  }

  get port(): number {
    return this.portValue;
  }

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      this.handle(req, res).catch((err: Error) => send(res, 500, { error: { message: err.message, code: 1 } }));
    });
    await new Promise<void>((resolve, reject) => {
      this.server?.once('error', reject);
      this.server?.listen(this.opts.port ?? 0, '127.0.0.1', () => resolve());
    });
    const addr = this.server.address();
    this.portValue = typeof addr === 'object' && addr ? addr.port : 0;
    return this;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = null;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((r) => server.close(() => r()));
  }

  /** POSTs a signed `mentions` webhook for the media, as Meta does; returns the receiver's status. */
  async sendMention(igUserId: string, mediaId: string, opts: { url?: string; secret?: string } = {}): Promise<number> {
    const url = opts.url ?? this.webhookUrl;
    if (!url) throw new Error('no webhook URL');
    const body = JSON.stringify({
      object: 'instagram',
      entry: [
        {
          id: igUserId,
          time: Math.floor(Date.now() / 1000),
          changes: [{ field: 'mentions', value: { media_id: mediaId } }],
        },
      ],
    });
    const signature = `sha256=${createHmac('sha256', opts.secret ?? this.appSecret)
      .update(body)
      .digest('hex')}`;
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-Hub-Signature-256': signature },
      body,
      redirect: 'manual',
    });
    await res.arrayBuffer();
    return res.status;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (url.pathname === '/_control' && req.method === 'POST') return this.control(req, res);
    if (url.pathname === '/_control/health') return send(res, 200, { ok: true });
    const prefix = `/${this.version}/`;
    if (!url.pathname.startsWith(prefix) || req.method !== 'GET') {
      return this.answer(res, url, 400, graphError(100, 'Unknown path components', 'OAuthException'));
    }
    const path = url.pathname.slice(prefix.length);
    const q = url.searchParams;
    if (this.failRate > 0 && Math.random() < this.failRate) {
      return this.answer(
        res,
        url,
        500,
        graphError(2, 'An unexpected error has occurred. Please retry your request later.', 'OAuthException'),
      );
    }
    if (this.rateLimitNext > 0) {
      this.rateLimitNext -= 1;
      return this.answer(
        res,
        url,
        400,
        graphError(80002, 'There have been too many calls to this Instagram account.', 'OAuthException'),
        100,
      );
    }
    if (path === 'debug_token') return this.debugToken(res, url, q);
    if (path === 'oauth/access_token') return this.exchange(res, url, q);
    const token = this.state.tokenState(q.get('access_token'));
    if (!token)
      return this.answer(
        res,
        url,
        400,
        graphError(190, 'Error validating access token: Session has expired or is invalid.', 'OAuthException', 463),
      );
    const [igUserId, edge, ...rest] = path.split('/');
    if (!igUserId || rest.length || igUserId !== token.igUserId) {
      return this.answer(res, url, 400, graphError(100, 'Unsupported get request.', 'GraphMethodException', 33));
    }
    if (edge === 'tags') {
      const limit = Math.min(100, Number(q.get('limit') ?? 25) || 25);
      const page = pageOf(
        this.state.list((m) => m.tags.includes(igUserId)),
        limit,
        q.get('after'),
      );
      return this.answer(res, url, 200, { data: page.items.map((m) => pick(m, q.get('fields'))), paging: page.paging });
    }
    if (edge !== undefined)
      return this.answer(res, url, 400, graphError(100, 'Unknown path components', 'OAuthException'));
    return this.userFields(res, url, igUserId, q.get('fields') ?? '');
  }

  private userFields(res: ServerResponse, url: URL, igUserId: string, fields: string): void {
    const mention = /^mentioned_media\.media_id\((\d{1,40})\)(?:\{([a-z_,]{0,200})\})?$/.exec(fields);
    if (mention) {
      const m = this.state.media.get(mention[1] as string);
      if (!m || !m.mentions.includes(igUserId)) {
        return this.answer(
          res,
          url,
          400,
          graphError(100, 'Unsupported get request. Object does not exist.', 'GraphMethodException', 33),
        );
      }
      return this.answer(res, url, 200, { mentioned_media: pick(m, mention[2] ?? null), id: igUserId });
    }
    const bd =
      /^business_discovery\.username\(([a-z0-9._]{1,30})\)\{([a-z_,]{0,200})media(?:\.limit\((\d{1,3})\))?(?:\.after\(([A-Za-z0-9_=-]{1,200})\))?\{([a-z_,]{0,200})\}\}$/.exec(
        fields,
      );
    if (bd) {
      const username = bd[1] as string;
      if (!this.state.professional.has(username)) {
        return this.answer(res, url, 400, graphError(110, 'Invalid user id', 'OAuthException', 2207013));
      }
      const page = pageOf(
        this.state.list((m) => m.username === username),
        Number(bd[3] ?? 25),
        bd[4] ?? null,
      );
      const media = { data: page.items.map((m) => pick(m, bd[5] ?? null)), paging: page.paging };
      return this.answer(res, url, 200, {
        business_discovery: { id: `bd${username.length}`, username, media },
        id: igUserId,
      });
    }
    return this.answer(res, url, 200, { id: igUserId });
  }

  private debugToken(res: ServerResponse, url: URL, q: URLSearchParams): void {
    if (q.get('access_token') !== `${this.appId}|${this.appSecret}`) {
      return this.answer(
        res,
        url,
        400,
        graphError(190, 'Invalid OAuth access token - Cannot parse access token', 'OAuthException'),
      );
    }
    const t = this.state.tokens.get(q.get('input_token') ?? '');
    const valid = !!t && t.valid && t.expiresAt * 1000 > Date.now();
    this.answer(res, url, 200, {
      data: {
        app_id: this.appId,
        type: 'USER',
        application: 'Seedline stand-in',
        is_valid: valid,
        expires_at: t?.expiresAt ?? 0,
        scopes: ['instagram_basic', 'instagram_manage_comments', 'pages_read_engagement'],
        user_id: t?.igUserId ?? '0',
      },
    });
  }

  private exchange(res: ServerResponse, url: URL, q: URLSearchParams): void {
    const old = this.state.tokenState(q.get('fb_exchange_token'));
    const appOk = q.get('client_id') === this.appId && q.get('client_secret') === this.appSecret;
    if (q.get('grant_type') !== 'fb_exchange_token' || !appOk || !old || this.refuseExchange) {
      return this.answer(res, url, 400, graphError(190, 'Error validating access token.', 'OAuthException', 460));
    }
    const expiresIn = 60 * 86_400;
    const token = this.state.issueToken(old.igUserId, expiresIn);
    this.answer(res, url, 200, { access_token: token, token_type: 'bearer', expires_in: expiresIn });
  }

  private answer(res: ServerResponse, url: URL, status: number, body: Json, percent = this.usagePercent): void {
    this.calls.push({ path: url.pathname, fields: url.searchParams.get('fields'), status });
    const usage = {
      call_count: percent,
      total_cputime: Math.max(0, percent - 1),
      total_time: Math.max(0, percent - 1),
    };
    res.setHeader('X-App-Usage', JSON.stringify(usage));
    const regain = percent >= 100 ? this.regainMinutes : 0;
    res.setHeader(
      'X-Business-Use-Case-Usage',
      JSON.stringify({
        '17841400000000000': [{ type: 'instagram', ...usage, estimated_time_to_regain_access: regain }],
      }),
    );
    send(res, status, body);
  }

  private async control(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const c of req) {
      size += (c as Buffer).length;
      if (size > 65_536) return send(res, 413, { error: 'too large' });
      chunks.push(c as Buffer);
    }
    const body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as Json;
    const s = this.state;
    switch (body.action) {
      case 'token':
        return send(res, 200, {
          accessToken: s.issueToken(String(body.igUserId), Number(body.expiresIn ?? 60 * 86_400)),
        });
      case 'addMedia':
        return send(res, 200, s.addMedia(body as unknown as Parameters<GraphState['addMedia']>[0]) as unknown as Json);
      case 'removeMedia':
        return send(res, 200, { removed: s.removeMedia(String(body.id)) });
      case 'mention':
        return send(res, 200, { status: await this.sendMention(String(body.igUserId), String(body.mediaId)) });
      case 'faults':
        this.failRate = Number(body.failRate ?? this.failRate);
        this.rateLimitNext = Number(body.rateLimitNext ?? this.rateLimitNext);
        this.usagePercent = Number(body.usagePercent ?? this.usagePercent);
        this.regainMinutes = Number(body.regainMinutes ?? this.regainMinutes);
        return send(res, 200, { ok: true });
      case 'reset':
        s.reset();
        return send(res, 200, { ok: true });
      default:
        return send(res, 400, { error: 'unknown action' });
    }
  }
}

function send(res: ServerResponse, status: number, body: Json): void {
  res.writeHead(status, { 'Content-Type': 'application/json; charset=UTF-8' });
  res.end(JSON.stringify(body));
}

function graphError(code: number, message: string, type: string, subcode?: number): Json {
  return {
    error: {
      message,
      type,
      code,
      ...(subcode ? { error_subcode: subcode } : {}),
      fbtrace_id: `A${Date.now().toString(36)}`,
    },
  };
}

function pick(m: StandinMedia, fields: string | null): Json {
  const names = (fields || DEFAULT_FIELDS).split(',').filter((f) => FIELD_NAMES.has(f));
  return Object.fromEntries(names.map((f) => [f, m[f as keyof StandinMedia]]));
}

/** Cursor paging as the Graph API does it: `cursors.before/after`, and `next` only while more follow. */
function pageOf(all: StandinMedia[], limit: number, after: string | null) {
  const start = after ? Number(Buffer.from(after, 'base64url').toString('utf8')) || 0 : 0;
  const items = all.slice(start, start + limit);
  const cursor = (n: number) => Buffer.from(String(n), 'utf8').toString('base64url');
  const more = start + limit < all.length;
  const paging = items.length
    ? {
        cursors: { before: cursor(start), after: cursor(start + items.length) },
        ...(more ? { next: 'https://graph.facebook.com/next' } : {}),
      }
    : undefined;
  return { items, paging };
}
