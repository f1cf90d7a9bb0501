export interface InstagramPost {
  kind: 'p' | 'reel';
  shortcode: string;
  /** canonical form, used to recognise the same post submitted twice */
  url: string;
}

const POST_PATH = /^\/(p|reel)\/([A-Za-z0-9_-]{5,64})\/?$/;

/** Accepts `https://(www.)instagram.com/p/<shortcode>/` and `/reel/<shortcode>/`, with or without a query string. */
export function parseInstagramPostUrl(input: string): InstagramPost | null {
  let url: URL;
  try {
    url = new URL(input.trim());
  } catch {
    return null;
  }
  if (url.protocol !== 'https:') return null;
  if (url.hostname !== 'instagram.com' && url.hostname !== 'www.instagram.com') return null;
  if (url.username || url.password || url.port) return null;
  const match = POST_PATH.exec(url.pathname);
  if (!match) return null;
  const kind = match[1] as 'p' | 'reel';
  const shortcode = match[2] as string;
  return { kind, shortcode, url: `https://www.instagram.com/${kind}/${shortcode}/` };
}
