import { trimEndOf } from '../util/trim-end.js';

export interface Requirements {
  hashtags: string[];
  mentions: string[];
}

export interface Verdict {
  accepted: boolean;
  /** one human-readable reason per missing requirement */
  reasons: string[];
  missingHashtags: string[];
  missingMentions: string[];
}

/** Whole-token, case-insensitive matches: `#Ad` satisfies `ad`, `#adventure` does not. */
export function verifyCaption(caption: string | undefined | null, req: Requirements): Verdict {
  const text = (caption ?? '').toLowerCase();
  const hashtags = new Set(tokens(text, '#'));
  const mentions = new Set(tokens(text, '@'));
  const missingHashtags = req.hashtags.map(bare).filter((h) => !hashtags.has(h));
  const missingMentions = req.mentions.map(bare).filter((m) => !mentions.has(m));
  const reasons = [
    ...missingHashtags.map((h) => `caption is missing the hashtag #${h}`),
    ...missingMentions.map((m) => `caption is missing the mention @${m}`),
  ];
  return { accepted: reasons.length === 0, reasons, missingHashtags, missingMentions };
}

function tokens(text: string, sigil: '#' | '@'): string[] {
  const pattern = sigil === '#' ? /(?:^|[^\p{L}\p{N}_#])#([\p{L}\p{N}_]+)/gu : /(?:^|[^\p{L}\p{N}_@.])@([a-z0-9._]+)/gu;
  const found: string[] = [];
  for (const m of text.matchAll(pattern)) {
    if (m[1]) found.push(trimEndOf(m[1], '.'));
  }
  return found;
}

function bare(tag: string): string {
  return tag.trim().replace(/^[#@]/, '').toLowerCase();
}
