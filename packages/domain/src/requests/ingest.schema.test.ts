import { describe, expect, it } from 'vitest';
import { clickEvent } from '../events/click.schema.js';
import { clicksRequest, signupRequest, TRACKER_EVENT_PREFIX, trackerEventId } from './ingest.schema.js';

const token = 'A'.repeat(55);

describe('ingest request schemas', () => {
  it('takes only tracker event ids that still fit a click event once prefixed', () => {
    const longest = 'e'.repeat(128 - TRACKER_EVENT_PREFIX.length);
    expect(clicksRequest.safeParse({ events: [{ eventId: longest, token }] }).success).toBe(true);
    const stored = trackerEventId('0123456789abcdef01234567', longest);
    expect(stored.startsWith(TRACKER_EVENT_PREFIX)).toBe(true);
    expect(clickEvent.shape.eventId.safeParse(stored).success).toBe(true);
    expect(clicksRequest.safeParse({ events: [{ eventId: `${longest}e`, token }] }).success).toBe(false);
  });

  it('refuses a forwarded click from the future, beyond a little clock skew', () => {
    const at = (ms: number) => ({ events: [{ eventId: 'e1', token, at: new Date(Date.now() + ms).toISOString() }] });
    expect(clicksRequest.safeParse(at(-86_400_000)).success).toBe(true);
    expect(clicksRequest.safeParse(at(60_000)).success).toBe(true);
    expect(clicksRequest.safeParse(at(3_600_000)).success).toBe(false);
  });

  it('never lets an operator object through as a value', () => {
    for (const value of [{ $gt: '' }, { $ne: null }, ['a']]) {
      expect(signupRequest.safeParse({ campaignId: value, instagramHandle: 'ok' }).success).toBe(false);
      expect(signupRequest.safeParse({ campaignId: '0123456789abcdef01234567', instagramHandle: value }).success).toBe(
        false,
      );
      expect(clicksRequest.safeParse({ events: [{ eventId: value, token }] }).success).toBe(false);
    }
  });
});
