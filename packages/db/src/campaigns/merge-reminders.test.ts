import { describe, expect, it } from 'vitest';
import { mergeReminders } from './campaign.repository.js';

const policy = { firstAfterSeconds: 1, everySeconds: 2, max: 3 };
const other = { firstAfterSeconds: 9, everySeconds: 9, max: 9 };

describe('mergeReminders', () => {
  it('stores only what differs from the defaults', () => {
    expect(mergeReminders({ purchase: policy, review: policy }, undefined)).toEqual({
      purchase: policy,
      review: policy,
    });
  });

  it('replaces policies, channels and Reply-To; merges templates part by part; null resets a stage or the Reply-To', () => {
    const current = {
      purchase: policy,
      review: policy,
      channels: ['email' as const],
      replyTo: 'a@b.example',
      templates: {
        purchase: { subject: 'S {{handle}}', text: 'T {{link}} {{unsubscribeLink}}' },
        review: { subject: 'R' },
      },
    };
    expect(
      mergeReminders(current, {
        review: other,
        channels: ['webhook'],
        templates: { purchase: { subject: 'New' }, review: null },
      }),
    ).toEqual({
      purchase: policy,
      review: other,
      channels: ['webhook'],
      replyTo: 'a@b.example',
      templates: { purchase: { subject: 'New', text: 'T {{link}} {{unsubscribeLink}}' } },
    });
    expect(mergeReminders(current, { replyTo: null }).replyTo).toBeUndefined();
  });
});
