const HANDLE = /^[a-z0-9._]{1,30}$/;

/** Drops a leading `@`, trims and lower-cases; returns null when the result is not a valid Instagram handle. */
export function normalizeHandle(input: string): string | null {
  const handle = input.trim().replace(/^@/, '').toLowerCase();
  return HANDLE.test(handle) ? handle : null;
}

export function instagramProfileUrl(handle: string): string {
  return `https://www.instagram.com/${handle}/`;
}
