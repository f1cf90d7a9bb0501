const HANDLE = /^[A-Za-z0-9._]{1,30}$/;

/**
 * Drops a leading `@`, trims and lower-cases; returns null when the input is not a valid Instagram handle.
 * Checked before lower-casing: Unicode lower-cases some other letters to ASCII (the Kelvin sign to `k`, `İ` to
 * `i` and a combining dot), which would let a look-alike of a handle through as that handle.
 */
export function normalizeHandle(input: string): string | null {
  const handle = input.trim().replace(/^@/, '');
  return HANDLE.test(handle) ? handle.toLowerCase() : null;
}

export function instagramProfileUrl(handle: string): string {
  return `https://www.instagram.com/${handle}/`;
}
