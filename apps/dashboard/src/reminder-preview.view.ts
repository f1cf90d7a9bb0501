import { ApiError, type Api } from './api.js';
import { byId, clear, h } from './dom.js';
import type { ReminderPreview } from './types.js';

type Stage = ReminderPreview['stage'];
const STAGE_LABEL: Record<Stage, string> = { purchase: 'Purchase reminder', review: 'Review reminder' };

/**
 * The campaign's reminder email as an influencer gets it, for a sample influencer: sender, subject, the HTML in a
 * sandboxed frame (its own page and CSP, see email-frame.ts), the text part and the headers that matter.
 */
export class ReminderPreviewPanel {
  private frame: HTMLIFrameElement | null = null;
  private html = '';
  private ready = false;
  private request = 0;

  constructor() {
    window.addEventListener('message', (e: MessageEvent<{ type?: string; height?: number }>) => {
      if (!this.frame || e.source !== this.frame.contentWindow) return;
      if (e.data?.type === 'seedline-email-ready') {
        this.ready = true;
        this.post();
      } else if (e.data?.type === 'seedline-email-height' && typeof e.data.height === 'number') {
        this.frame.style.height = `${Math.min(Math.max(e.data.height + 8, 200), 2000)}px`;
      }
    });
  }

  /** Renders the panel into `box` and loads the purchase stage. */
  open(api: Api, campaignId: string, box: HTMLElement, onError: (err: ApiError) => void): void {
    clear(box);
    this.ready = false;
    this.frame = h('iframe', {
      class: 'email-frame',
      title: 'Reminder email (HTML part)',
      sandbox: 'allow-scripts',
      src: '/dashboard/email-frame.html',
    });
    const buttons = (['purchase', 'review'] as const).map((stage) =>
      h(
        'button',
        {
          type: 'button',
          class: 'btn btn--ghost btn--small',
          'aria-pressed': 'false',
          'data-stage': stage,
          onclick: () => void load(stage),
        },
        STAGE_LABEL[stage],
      ),
    );
    box.append(
      h('h3', { id: 'reminder-preview-title' }, 'Reminder email'),
      h(
        'p',
        { class: 'hint' },
        'What an influencer receives, shown for a sample influencer. Set the templates with ',
        h('code', null, 'PATCH /v1/campaigns/:id'),
        ' (',
        h('code', null, 'reminders.templates'),
        ').',
      ),
      h('div', { class: 'stage-switch', role: 'group', 'aria-label': 'Which reminder' }, ...buttons),
      h('dl', { class: 'details email-meta', id: 'email-meta' }),
      this.frame,
      h(
        'details',
        { class: 'email-extra' },
        h('summary', null, 'Plain-text part'),
        h('pre', { class: 'email-text', id: 'email-text' }),
      ),
      h(
        'details',
        { class: 'email-extra' },
        h('summary', null, 'Headers'),
        h('dl', { class: 'details', id: 'email-headers' }),
      ),
    );
    const load = async (stage: Stage) => {
      const mine = ++this.request;
      for (const b of buttons) b.setAttribute('aria-pressed', String(b.dataset.stage === stage));
      try {
        const preview = await api.json<ReminderPreview>(
          `/v1/campaigns/${encodeURIComponent(campaignId)}/reminders/preview?stage=${stage}`,
        );
        if (mine === this.request) this.show(preview);
      } catch (err) {
        if (err instanceof ApiError) onError(err);
      }
    };
    void load('purchase');
  }

  private show(p: ReminderPreview): void {
    const row = (term: string, value: string | null) => [
      h('dt', null, term),
      h('dd', null, value ?? h('span', { class: 'muted' }, 'none')),
    ];
    const meta = byId('email-meta');
    clear(meta);
    meta.append(
      ...row('Channels', p.channels.join(', ')),
      ...row('From', p.from),
      ...row('To', `${p.to} (@${p.sample.instagramHandle}, a sample)`),
      ...row('Reply-To', p.replyTo),
      ...row('Subject', p.subject),
    );
    byId('email-text').textContent = p.text;
    const headers = byId('email-headers');
    clear(headers);
    for (const [name, value] of Object.entries(p.headers)) headers.append(...row(name, value));
    this.html = p.html;
    this.post();
  }

  private post(): void {
    if (this.ready && this.html)
      this.frame?.contentWindow?.postMessage({ type: 'seedline-email', html: this.html }, '*');
  }
}
