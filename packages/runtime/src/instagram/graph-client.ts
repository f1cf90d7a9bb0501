import {
  igBusinessDiscovery,
  igDebugToken,
  igErrorBody,
  igMediaPage,
  igMentionedMedia,
  igTokenExchange,
  parseGraphUsage,
  trimEndOf,
  usageDelayMs,
  type IgMedia,
  type IgMediaPage,
} from '@seedline/domain';
import type { z } from 'zod';
import { GraphError } from './graph-error.js';

export { GraphError } from './graph-error.js';

export interface GraphClientOptions {
  /** the versioned base, e.g. https://graph.facebook.com/v25.0 (or the local stand-in) */
  baseUrl: string;
  appId: string;
  appSecret: string;
  timeoutMs?: number;
  /** the longest pause inserted before a call as usage nears the limit */
  slowdownMaxMs?: number;
  /** wait after a rate-limit error when Meta announced no time */
  rateLimitBackoffMs?: number;
  /** told of every call's usage (percent) and of every pause taken */
  onUsage?: (percent: number, pauseMs: number) => void;
}

export const MEDIA_FIELDS = 'id,username,caption,permalink,timestamp,media_type';
const MAX_BODY = 2 * 1024 * 1024;

/**
 * The Graph API calls Seedline makes (Instagram API with Facebook Login). Reads the usage headers of every
 * answer and slows down before the limit (one pause shared by every call of the process); a rate-limit error
 * is a GraphError whose `retryAfterMs` says when to try again.
 */
export class GraphClient {
  private notBefore = 0;
  private readonly base: string;

  constructor(private readonly opts: GraphClientOptions) {
    this.base = trimEndOf(opts.baseUrl, '/');
  }

  async debugToken(inputToken: string): Promise<{ isValid: boolean; expiresAt: Date | null; userId?: string }> {
    const appToken = `${this.opts.appId}|${this.opts.appSecret}`;
    const body = await this.get('/debug_token', { input_token: inputToken }, appToken, igDebugToken);
    const { is_valid, expires_at, user_id } = body.data;
    return { isValid: is_valid, expiresAt: expires_at > 0 ? new Date(expires_at * 1000) : null, userId: user_id };
  }

  /** A fresh long-lived token for a valid one (the `fb_exchange_token` grant). */
  async exchangeToken(token: string): Promise<{ accessToken: string; expiresAt: Date | null }> {
    const params = {
      grant_type: 'fb_exchange_token',
      client_id: this.opts.appId,
      client_secret: this.opts.appSecret,
      fb_exchange_token: token,
    };
    const body = await this.get('/oauth/access_token', params, null, igTokenExchange);
    return {
      accessToken: body.access_token,
      expiresAt: body.expires_in ? new Date(Date.now() + body.expires_in * 1000) : null,
    };
  }

  /** One page of the media the account is tagged in. */
  tagsPage(igUserId: string, token: string, after?: string): Promise<IgMediaPage> {
    const params: Record<string, string> = { fields: MEDIA_FIELDS, limit: '50' };
    if (after) params.after = after;
    return this.get(`/${encodeURIComponent(igUserId)}/tags`, params, token, igMediaPage);
  }

  /** One page of another professional account's media, through `business_discovery`. */
  async discoveryPage(igUserId: string, token: string, username: string, after?: string): Promise<IgMediaPage> {
    const paging = after ? `.after(${after})` : '';
    const fields = `business_discovery.username(${username}){id,username,media.limit(50)${paging}{${MEDIA_FIELDS}}}`;
    const body = await this.get(`/${encodeURIComponent(igUserId)}`, { fields }, token, igBusinessDiscovery);
    return body.business_discovery.media ?? { data: [] };
  }

  /** The media a `mentions` notification named. */
  async mentionedMedia(igUserId: string, token: string, mediaId: string): Promise<IgMedia> {
    const fields = `mentioned_media.media_id(${mediaId}){${MEDIA_FIELDS}}`;
    const body = await this.get(`/${encodeURIComponent(igUserId)}`, { fields }, token, igMentionedMedia);
    return body.mentioned_media;
  }

  private async get<S extends z.ZodType>(
    path: string,
    params: Record<string, string>,
    token: string | null,
    schema: S,
  ): Promise<z.infer<S>> {
    const wait = this.notBefore - Date.now();
    // A long pause (after a rate-limit error) is not slept through inside a job: the caller reschedules.
    if (wait > (this.opts.slowdownMaxMs ?? 5000)) {
      throw new GraphError(0, { code: 4, message: 'paused before the rate limit' }, wait);
    }
    if (wait > 0) {
      this.opts.onUsage?.(-1, wait);
      await new Promise((r) => setTimeout(r, wait));
    }
    const url = new URL(this.base + path);
    for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
    if (token) url.searchParams.set('access_token', token);
    let res: Response;
    try {
      res = await fetch(url, { redirect: 'error', signal: AbortSignal.timeout(this.opts.timeoutMs ?? 10_000) });
    } catch (err) {
      // Never the URL: it carries the token.
      throw new GraphError(0, null, 0, `unreachable (${(err as Error).name})`);
    }
    const usage = parseGraphUsage(res.headers.get('x-app-usage'), res.headers.get('x-business-use-case-usage'));
    const pause = usageDelayMs(usage, this.opts.slowdownMaxMs ?? 5000);
    if (usage) this.opts.onUsage?.(usage.percent, pause);
    if (pause > 0) this.notBefore = Math.max(this.notBefore, Date.now() + pause);
    const text = await res.text();
    if (text.length > MAX_BODY) throw new GraphError(res.status, null, 0, 'answer too large');
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw new GraphError(res.status, null, 0, `answered HTTP ${res.status} without JSON`);
    }
    const error = igErrorBody.safeParse(json);
    if (error.success || !res.ok) {
      const e = error.success ? error.data.error : null;
      const graphError = new GraphError(res.status, e, 0);
      if (graphError.rateLimited) {
        const retryAfterMs = Math.max(pause, this.opts.rateLimitBackoffMs ?? 60_000);
        this.notBefore = Math.max(this.notBefore, Date.now() + retryAfterMs);
        throw new GraphError(res.status, e, retryAfterMs);
      }
      throw graphError;
    }
    const parsed = schema.safeParse(json);
    if (!parsed.success)
      throw new GraphError(
        res.status,
        null,
        0,
        `answered an unexpected shape (${parsed.error.issues[0]?.path.join('.')})`,
      );
    return parsed.data;
  }
}
