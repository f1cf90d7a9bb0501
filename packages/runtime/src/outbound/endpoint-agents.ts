import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import { guardedLookup, type OutboundPolicy } from './guarded-post.js';

export interface EndpointAgentsOptions {
  /** an idle connection is closed after this long (sooner when the receiver's Keep-Alive hint says so) */
  idleMs?: number;
  /** idle connections kept per endpoint; more are closed as they free up */
  maxIdlePerEndpoint?: number;
  /** endpoints with an agent; the least recently used one's idle connections are closed beyond this */
  maxEndpoints?: number;
}

/**
 * Keep-alive agents, one per endpoint and origin, so the attempts to an endpoint reuse its connections instead
 * of dialling (and, for https, handshaking) once each. Every NEW connection still resolves through the policy's
 * resolver and is dialled only to addresses the check passed (`guardedLookup`, the agent's own `lookup`, which
 * no request option overrides); a reused connection stays pinned to the address checked when it was dialled.
 * Idle connections are unreferenced (they never hold the process) and closed after `idleMs`; the map of agents
 * is bounded. Keyed by endpoint, not origin alone: one brand's endpoint that hangs never holds the sockets a
 * request to another brand's endpoint on the same host would wait for.
 */
export class EndpointAgents {
  private readonly agents = new Map<string, HttpAgent>();
  private readonly idleMs: number;
  private readonly maxIdle: number;
  private readonly maxEndpoints: number;

  constructor(
    private readonly policy: OutboundPolicy,
    opts: EndpointAgentsOptions = {},
  ) {
    this.idleMs = opts.idleMs ?? 4000;
    this.maxIdle = opts.maxIdlePerEndpoint ?? 4;
    this.maxEndpoints = opts.maxEndpoints ?? 1000;
  }

  /** The agent for `url` of endpoint `key`. */
  for(key: string, url: URL): HttpAgent {
    const name = `${key} ${url.protocol}//${url.host}`;
    const hit = this.agents.get(name);
    if (hit) {
      // Moved to the end: the map's order is least recently used first.
      this.agents.delete(name);
      this.agents.set(name, hit);
      return hit;
    }
    const options = {
      keepAlive: true,
      timeout: this.idleMs,
      maxFreeSockets: this.maxIdle,
      lookup: guardedLookup(this.policy),
    };
    const agent = url.protocol === 'https:' ? new HttpsAgent(options) : new HttpAgent(options);
    this.agents.set(name, agent);
    if (this.agents.size > this.maxEndpoints) {
      const [oldest] = this.agents;
      if (oldest) {
        this.agents.delete(oldest[0]);
        // Its idle connections now; those in use go idle when their attempt ends and close after `idleMs`.
        closeIdle(oldest[1]);
      }
    }
    return agent;
  }

  get size(): number {
    return this.agents.size;
  }

  /** Closes every connection, idle or not (at shutdown, once no attempt runs). */
  close(): void {
    for (const agent of this.agents.values()) agent.destroy();
    this.agents.clear();
  }
}

function closeIdle(agent: HttpAgent): void {
  for (const sockets of Object.values(agent.freeSockets)) for (const s of sockets ?? []) s.destroy();
}
