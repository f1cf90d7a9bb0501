import { lookup as dnsLookup } from 'node:dns/promises';
import { request as httpRequest, type Agent, type ClientRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import { bareHost, isGlobalUnicast } from './address-policy.js';

/** Resolves a host name to every address it has; injectable so tests never ask the system's resolver. */
export type Resolver = (hostname: string) => Promise<Array<{ address: string; family: number }>>;
export const systemResolver: Resolver = (hostname) => dnsLookup(hostname, { all: true, verbatim: true });

export interface OutboundPolicy {
  /** WEBHOOK_ALLOW_PRIVATE: http and non-global addresses allowed (development and tests only) */
  allowPrivate: boolean;
  resolver: Resolver;
}

/** Why a URL may not receive webhooks, or null when it may (checked when an endpoint is saved). */
export async function refusedDestination(url: string, policy: OutboundPolicy): Promise<string | null> {
  if (url.length > 2048) return 'is longer than 2048 characters';
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return 'is not a URL';
  }
  if (u.username || u.password) return 'must not carry credentials';
  if (u.protocol !== 'https:' && !(policy.allowPrivate && u.protocol === 'http:')) return 'must be an https URL';
  if (policy.allowPrivate) return null;
  const host = bareHost(u.hostname);
  if (isIP(host)) return isGlobalUnicast(host) ? null : `resolves to ${host}, which is not a global address`;
  let addresses: Array<{ address: string }>;
  try {
    addresses = await policy.resolver(host);
  } catch {
    return `host ${host} does not resolve`;
  }
  if (addresses.length === 0) return `host ${host} does not resolve`;
  const bad = addresses.find((a) => !isGlobalUnicast(a.address));
  return bad ? `resolves to ${bad.address}, which is not a global address` : null;
}

/**
 * The `lookup` given to the socket: resolves through the policy's resolver and hands the connection only
 * addresses that pass the check, so the address actually dialled is the one checked (DNS rebinding).
 */
export function guardedLookup(policy: OutboundPolicy): LookupFunction {
  return (hostname, options, callback) => {
    policy
      .resolver(hostname)
      .then((all) => {
        const allowed = policy.allowPrivate ? all : all.filter((a) => isGlobalUnicast(a.address));
        if (allowed.length === 0 || allowed.length !== all.length) {
          const bad = all.find((a) => !isGlobalUnicast(a.address));
          const err = Object.assign(new Error(`refused: ${hostname} resolves to ${bad?.address ?? 'nothing'}`), {
            code: 'EREFUSEDADDRESS',
          });
          callback(err, '', 4);
          return;
        }
        if (options.all) (callback as (e: null, a: typeof allowed) => void)(null, allowed);
        else callback(null, allowed[0]?.address ?? '', allowed[0]?.family ?? 4);
      })
      .catch((e: NodeJS.ErrnoException) => callback(e, '', 4));
  };
}

export interface PostOutcome {
  /** the answer's status; null when there was none (refused, connection error, timeout) */
  status: number | null;
  durationMs: number;
  /** the first 1 KiB of the answer, as text */
  response: string;
  error: string | null;
  /** from a Retry-After header, when the answer carried one */
  retryAfterMs: number | null;
  /** the destination was refused by the address policy: no connection was opened */
  refused: boolean;
}

const RESPONSE_KEEP = 1024;

/** A connection error of a reused (keep-alive) connection that the receiver had closed meanwhile. */
const STALE_CONNECTION = new Set(['ECONNRESET', 'EPIPE', 'ECONNABORTED']);

/**
 * POSTs `body` once. Never follows a redirect (a 3xx is an answer like any other), never connects to an
 * address the policy refuses, gives up after `timeoutMs` whatever the receiver does. With `agent` (an
 * `EndpointAgents` agent) the connection may be one kept open from an earlier attempt; without, a new one.
 */
export async function guardedPost(
  url: string,
  headers: Record<string, string>,
  body: string,
  opts: { policy: OutboundPolicy; timeoutMs: number; agent?: Agent },
): Promise<PostOutcome> {
  const started = performance.now();
  const done = (o: Omit<PostOutcome, 'durationMs'>): PostOutcome => ({
    ...o,
    durationMs: Math.round(performance.now() - started),
  });
  const refusal = refusedLiteral(url, opts.policy);
  if (refusal) return done({ status: null, response: '', error: refusal, retryAfterMs: null, refused: true });
  const deadline = Date.now() + opts.timeoutMs;
  const first = await postOnce(new URL(url), headers, body, opts, opts.timeoutMs);
  // A kept connection the receiver closed while it was idle fails before any answer: the request never reached
  // it, so it is sent once more, on a new connection (receivers are idempotent by webhook-id anyway).
  const again = first.kind === 'error' && first.reused && STALE_CONNECTION.has(first.code ?? '');
  const out = again ? await postOnce(new URL(url), headers, body, opts, deadline - Date.now(), true) : first;
  return done(out.outcome);
}

type Attempt =
  | { kind: 'answer'; outcome: Omit<PostOutcome, 'durationMs'> }
  | { kind: 'error'; outcome: Omit<PostOutcome, 'durationMs'>; reused: boolean; code: string | undefined };

function postOnce(
  u: URL,
  headers: Record<string, string>,
  body: string,
  opts: { policy: OutboundPolicy; timeoutMs: number; agent?: Agent },
  remainingMs: number,
  newConnection = false,
): Promise<Attempt> {
  const send = u.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise<Attempt>((resolve) => {
    let settled = false;
    const finish = (a: Attempt) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(a);
    };
    const req: ClientRequest = send(u, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
      lookup: guardedLookup(opts.policy),
      // A retry after a stale kept connection dials anew (`agent: false`), through the same guarded lookup.
      agent: opts.agent && !newConnection ? opts.agent : false,
    });
    const timer = setTimeout(
      () => req.destroy(new Error(`no answer within ${opts.timeoutMs} ms`)),
      Math.max(remainingMs, 0),
    );
    req.on('error', (err: NodeJS.ErrnoException) =>
      finish({
        kind: 'error',
        reused: req.reusedSocket,
        code: err.code,
        outcome: {
          status: null,
          response: '',
          error: err.message,
          retryAfterMs: null,
          refused: err.code === 'EREFUSEDADDRESS',
        },
      }),
    );
    req.on('response', (res: IncomingMessage) => {
      const chunks: Buffer[] = [];
      let kept = 0;
      const answer = () =>
        finish({
          kind: 'answer',
          outcome: {
            status: res.statusCode ?? null,
            response: Buffer.concat(chunks).subarray(0, RESPONSE_KEEP).toString('utf8'),
            error: null,
            retryAfterMs: retryAfterMs(res.headers['retry-after']),
            refused: false,
          },
        });
      res.on('data', (c: Buffer) => {
        if (kept >= RESPONSE_KEEP) return;
        chunks.push(c);
        kept += c.length;
        // The rest is not read: a receiver's long answer costs us nothing (its connection is closed, not kept).
        if (kept >= RESPONSE_KEEP) {
          answer();
          res.destroy();
        }
      });
      res.on('end', answer);
      res.on('error', answer);
      res.on('close', answer);
    });
    req.end(body);
  });
}

function refusedLiteral(url: string, policy: OutboundPolicy): string | null {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return 'not a URL';
  }
  if (u.protocol !== 'https:' && !(policy.allowPrivate && u.protocol === 'http:')) return 'refused: not https';
  const host = bareHost(u.hostname);
  // An IP literal never reaches `lookup`: check it here.
  if (isIP(host) && !policy.allowPrivate && !isGlobalUnicast(host)) return `refused: ${host} is not a global address`;
  return null;
}

/** Retry-After as delta-seconds or an HTTP date, capped at a day. */
export function retryAfterMs(value: string | undefined, now = Date.now()): number | null {
  if (!value) return null;
  const ms = /^\d{1,9}$/.test(value.trim()) ? Number(value.trim()) * 1000 : Date.parse(value) - now;
  if (!Number.isFinite(ms) || ms < 0) return null;
  return Math.min(ms, 24 * 3600 * 1000);
}
