/**
 * `text` without the trailing run of `char` (`https://x.example//` → `https://x.example`). A backwards scan:
 * `replace(/\/+$/, '')` looks for the run from every position of the string, quadratic on a long one.
 */
export function trimEndOf(text: string, char: string): string {
  let end = text.length;
  while (end > 0 && text[end - 1] === char) end--;
  return text.slice(0, end);
}
