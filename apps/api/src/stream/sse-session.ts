import type { Response } from 'express';
import { compareIds, type LiveEntry } from './live-hub.js';

/** A client that stops reading is dropped rather than buffered without bound. */
const MAX_BUFFERED_BYTES = 1024 * 1024;

/**
 * One server-sent-events response. Entries that arrive while the session replays what a reconnecting client
 * missed are held and sent afterwards, skipping any the replay already covered, so each entry reaches the
 * client once and in stream order.
 */
export class SseSession {
  /** the id of the last status entry written; the resume point a reconnect would send back */
  lastId: string | null = null;
  private held: LiveEntry[] | null = [];
  private closed = false;
  private readonly closeHandlers: (() => void)[] = [];

  constructor(
    private readonly res: Response,
    readonly campaignId: string,
    readonly brandId: string,
    retryMs: number,
  ) {
    res.status(200);
    res.setHeader('Content-Type', 'text/event-stream; charset=utf-8');
    res.setHeader('Cache-Control', 'no-cache, no-transform');
    res.setHeader('Connection', 'keep-alive');
    // Proxies such as nginx would otherwise buffer the stream.
    res.setHeader('X-Accel-Buffering', 'no');
    res.flushHeaders();
    res.socket?.setNoDelay(true);
    res.on('close', () => this.close());
    this.write(`retry: ${retryMs}\n\n`);
  }

  /** false while a replay runs */
  get isLive(): boolean {
    return this.held === null;
  }

  get isClosed(): boolean {
    return this.closed;
  }

  onClose(handler: () => void): void {
    if (this.closed) handler();
    else this.closeHandlers.push(handler);
  }

  /** Live entries from the hub: written now, or held while a replay runs. */
  deliver(entries: LiveEntry[]): void {
    if (this.held) this.held.push(...entries);
    else this.statuses(entries);
  }

  /**
   * Writes status events, skipping any at or before the last one written. An entry without a change (the
   * summary moved) writes nothing here: its feed sends the summary.
   */
  statuses(entries: LiveEntry[]): void {
    let out = '';
    for (const { id, change } of entries) {
      if (!change || (this.lastId && compareIds(id, this.lastId) <= 0)) continue;
      out += `id: ${id}\nevent: status\ndata: ${JSON.stringify(change)}\n\n`;
      this.lastId = id;
    }
    if (out) this.write(out);
  }

  /** The summary, tagged with the newest status entry the client has received (if any). */
  summary(summary: unknown, withId = true): void {
    const id = withId && this.lastId ? `id: ${this.lastId}\n` : '';
    this.write(`${id}event: summary\ndata: ${JSON.stringify(summary)}\n\n`);
  }

  /** Ends the replay: held entries newer than what was replayed go out now, then entries flow directly. */
  release(): void {
    const held = this.held ?? [];
    this.held = null;
    this.statuses(held);
  }

  ping(): void {
    this.write(': ping\n\n');
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    if (!this.res.writableEnded) this.res.end();
    for (const handler of this.closeHandlers.splice(0)) handler();
  }

  private write(chunk: string): void {
    if (this.closed) return;
    if (this.res.writableLength > MAX_BUFFERED_BYTES) {
      this.close();
      return;
    }
    this.res.write(chunk);
  }
}
