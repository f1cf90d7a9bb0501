import { Api, ApiError, isAbort } from './api.js';
import { SseParser, type SseMessage } from './sse-parser.js';

export type LiveState = 'connecting' | 'live' | 'reconnecting' | 'stopped';

export interface LiveHandlers {
  onState(state: LiveState, reason?: ApiError): void;
  onMessage(message: SseMessage): void;
  /** the key stopped being accepted: reconnecting cannot help */
  onUnauthorized(): void;
}

/** Three missed heartbeats (the API sends one every 15 s by default) means the connection is dead. */
const SILENCE_LIMIT_MS = 45_000;
const MAX_DELAY_MS = 30_000;

/**
 * The campaign's server-sent events read with fetch() rather than EventSource, so the key travels in the
 * Authorization header and never in a URL (URLs end up in logs and browser history). Reconnects like
 * EventSource does: after the server's `retry:` delay (backing off while failures repeat), resuming with
 * Last-Event-ID so no status change is missed.
 */
export class LiveConnection {
  private stopped = false;
  private controller: AbortController | null = null;
  private lastEventId = '';
  private retryMs = 2000;
  private failures = 0;
  private wake: (() => void) | null = null;

  constructor(
    private readonly api: Api,
    private readonly path: string,
    private readonly handlers: LiveHandlers,
  ) {}

  start(): void {
    void this.run();
  }

  stop(): void {
    this.stopped = true;
    this.controller?.abort();
    this.wake?.();
    this.handlers.onState('stopped');
  }

  /** Skips the wait before the next attempt (e.g. the browser came back online). */
  retryNow(): void {
    this.wake?.();
  }

  private async run(): Promise<void> {
    this.handlers.onState('connecting');
    while (!this.stopped) {
      let reason: ApiError | undefined;
      try {
        await this.connectOnce();
      } catch (err) {
        if (this.stopped) return;
        if (err instanceof ApiError && err.kind === 'unauthorized') {
          this.stopped = true;
          this.handlers.onUnauthorized();
          return;
        }
        if (!isAbort(err))
          reason = err instanceof ApiError ? err : new ApiError('network', 'The live connection was interrupted.');
      }
      if (this.stopped) return;
      this.failures++;
      this.handlers.onState('reconnecting', reason);
      await this.pause(this.delay());
    }
  }

  private delay(): number {
    const backoff = this.retryMs * 2 ** Math.min(this.failures - 1, 4);
    return Math.min(backoff, MAX_DELAY_MS) * (0.8 + Math.random() * 0.4);
  }

  private pause(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wake = done;
    });
  }

  private async connectOnce(): Promise<void> {
    const controller = new AbortController();
    this.controller = controller;
    const headers: Record<string, string> = { Accept: 'text/event-stream' };
    if (this.lastEventId) headers['Last-Event-ID'] = this.lastEventId;
    const res = await this.api.fetch(this.path, { headers, signal: controller.signal });
    if (!res.body) throw new ApiError('unavailable', 'The live stream sent no body.');
    const parser = new SseParser();
    parser.lastEventId = this.lastEventId;
    this.failures = 0;
    this.handlers.onState('live');

    let heard = Date.now();
    const watchdog = setInterval(() => {
      if (Date.now() - heard > SILENCE_LIMIT_MS) controller.abort();
    }, 5_000);
    const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        heard = Date.now();
        for (const message of parser.push(value)) {
          this.lastEventId = parser.lastEventId;
          this.handlers.onMessage(message);
        }
        if (parser.retryMs !== undefined) this.retryMs = parser.retryMs;
      }
    } finally {
      clearInterval(watchdog);
      reader.cancel().catch(() => undefined);
    }
  }
}
