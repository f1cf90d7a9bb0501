/**
 * What the caption still lacks, as `#tag` / `@name`, by the worker's rule (domain `verifyCaption`): whole
 * tokens, case-insensitive, so `#Ad` satisfies `ad` and `#adventure` does not. It also runs in the browser,
 * serialised into the page, so it must stay self-contained: no imports, no outer variables.
 */
export function missingFromCaption(caption: string, hashtags: string[], mentions: string[]): string[] {
  const text = caption.toLowerCase();
  // Trailing dots are cut by a backwards scan (a `/\.+$/` regex is quadratic on a long run of dots).
  const cutDots = (s: string) => {
    let end = s.length;
    while (end > 0 && s[end - 1] === '.') end--;
    return s.slice(0, end);
  };
  const found = (pattern: RegExp) => new Set(Array.from(text.matchAll(pattern), (m) => cutDots(m[1] ?? '')));
  const tags = found(/(?:^|[^\p{L}\p{N}_#])#([\p{L}\p{N}_]+)/gu);
  const names = found(/(?:^|[^\p{L}\p{N}_@.])@([a-z0-9._]+)/gu);
  const bare = (t: string) => t.trim().replace(/^[#@]/, '').toLowerCase();
  return [
    ...hashtags
      .map(bare)
      .filter((h) => !tags.has(h))
      .map((h) => `#${h}`),
    ...mentions
      .map(bare)
      .filter((m) => !names.has(m))
      .map((m) => `@${m}`),
  ];
}
