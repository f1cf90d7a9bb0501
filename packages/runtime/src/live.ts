/**
 * Status changes travel from the worker to the API through one Redis stream per campaign (XADD, capped), so
 * a dashboard reconnecting with `Last-Event-ID` (the stream entry id) gets exactly what it missed.
 */
export const LIVE_STREAM_MAXLEN = 10_000;

export function liveStreamKey(prefix: string, campaignId: string): string {
  return `${prefix}:live:${campaignId}`;
}
