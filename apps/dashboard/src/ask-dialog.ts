import { byId, show } from './dom.js';

export interface AskOptions {
  title: string;
  label: string;
  /** the confirming button's text */
  submit: string;
  maxLength: number;
}

/**
 * A modal dialog that asks for one line of text (a rejection's reason, a payment reference): resolves with the
 * trimmed text, or null when cancelled. Focus goes back to whatever had it before, as for every modal here.
 */
export class AskDialog {
  private readonly dialog = byId<HTMLDialogElement>('ask');
  private readonly input = byId<HTMLInputElement>('ask-input');
  private readonly error = byId('ask-error');
  private settle: ((value: string | null) => void) | null = null;
  private opener: Element | null = null;

  constructor() {
    byId<HTMLFormElement>('ask-form').addEventListener('submit', (e) => {
      e.preventDefault();
      const value = this.input.value.trim();
      if (!value) {
        this.error.textContent = 'This cannot be empty.';
        show(this.error, true);
        this.input.setAttribute('aria-invalid', 'true');
        this.input.focus();
        return;
      }
      this.finish(value);
    });
    byId('ask-cancel').addEventListener('click', () => this.finish(null));
    // Escape closes the dialog by itself: that is a cancel too.
    this.dialog.addEventListener('close', () => this.finish(null));
  }

  ask(options: AskOptions): Promise<string | null> {
    this.finish(null);
    this.opener = document.activeElement;
    byId('ask-title').textContent = options.title;
    byId('ask-label').textContent = options.label;
    byId('ask-submit').textContent = options.submit;
    this.input.value = '';
    this.input.maxLength = options.maxLength;
    this.input.removeAttribute('aria-invalid');
    show(this.error, false);
    this.dialog.showModal();
    this.input.focus();
    return new Promise((resolve) => (this.settle = resolve));
  }

  private finish(value: string | null): void {
    const settle = this.settle;
    if (!settle) return;
    this.settle = null;
    if (this.dialog.open) this.dialog.close();
    if (this.opener instanceof HTMLElement && this.opener.isConnected) this.opener.focus();
    this.opener = null;
    settle(value);
  }
}
