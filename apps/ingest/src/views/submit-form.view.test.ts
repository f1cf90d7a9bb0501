import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { verifyCaption } from '@seedline/domain';
import { SCRIPT } from './submit-form.script.js';
import { missingFromCaption, renderSubmitForm, SUBMIT_FORM_CSP } from './submit-form.view.js';

const sha = (s: string) => `'sha256-${createHash('sha256').update(s).digest('base64')}'`;

describe('submit form view', () => {
  it("checks captions in the browser exactly as the worker's verifyCaption does", () => {
    const req = { hashtags: ['ad', 'SpringGlow', '#café'], mentions: ['acme', '@glow.co'] };
    const captions = [
      '',
      'Loving it #ad #springglow #café @acme @glow.co',
      'LOVING IT #AD #SPRINGGLOW #CAFÉ @ACME @GLOW.CO.',
      '#adventure #springglowing @acmecorp @glow.com',
      'email me at me@acme #ad#springglow',
      'x#ad (@acme) [#springglow] @glow.co... #café!',
      '##ad @@acme #spring_glow @glow_co',
    ];
    for (const caption of captions) {
      const v = verifyCaption(caption, req);
      const expected = [...v.missingHashtags.map((h) => `#${h}`), ...v.missingMentions.map((m) => `@${m}`)];
      expect(missingFromCaption(caption, req.hashtags, req.mentions), caption).toEqual(expected);
    }
  });

  it('pins its inline script and style by hash in the CSP, and escapes campaign data', () => {
    const html = renderSubmitForm({
      token: 'tok"<en',
      campaignName: '<b>Glow</b> & co',
      requirements: { hashtags: ['ad'], mentions: ['acme'] },
      reimbursement: null,
    });
    const script = /<script>([\s\S]*?)<\/script>/.exec(html)?.[1] ?? '';
    const style = /<style>([\s\S]*?)<\/style>/.exec(html)?.[1] ?? '';
    expect(SUBMIT_FORM_CSP).toContain(`script-src ${sha(script)}`);
    expect(SUBMIT_FORM_CSP).toContain(`style-src ${sha(style)}`);
    expect(SUBMIT_FORM_CSP).not.toContain('unsafe-inline');
    expect(html).toContain('&lt;b&gt;Glow&lt;/b&gt; &amp; co');
    expect(html).toContain('data-token="tok&quot;&lt;en"');
    expect(html).not.toContain('<b>Glow');
    expect(html).toMatch(/data-tag="#ad"[\s\S]*data-tag="@acme"/);
  });

  it('ships a script that parses (it is a string here: the compiler never sees it)', () => {
    // eslint-disable-next-line @typescript-eslint/no-implied-eval -- parsed, never run
    expect(() => new Function(SCRIPT)).not.toThrow();
  });

  it('asks for the proof of purchase only when the campaign reimburses, each field with its hint and error line', () => {
    const model = { token: 't', campaignName: 'Glow', requirements: { hashtags: [], mentions: [] } };
    const plain = renderSubmitForm({ ...model, reimbursement: null });
    expect(plain).not.toContain('id="orderId"');
    const paying = renderSubmitForm({ ...model, reimbursement: { currency: 'EUR' } });
    for (const id of ['orderId', 'amountPaid', 'payoutEmail']) {
      expect(paying).toContain(`id="${id}" name="${id}"`);
      expect(paying).toContain(`aria-describedby="${id}-hint ${id}-error"`);
      expect(paying).toContain(`id="${id}-error" hidden`);
    }
    expect(paying).toContain('Amount you paid (EUR)');
    expect(paying).toContain('type="email"');
  });
});
