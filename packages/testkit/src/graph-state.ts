import { randomBytes } from 'node:crypto';

/** One IG Media as the stand-in keeps it: who owns it, whom it tags and mentions, and whether it still exists. */
export interface StandinMedia {
  id: string;
  username: string;
  caption: string;
  permalink: string;
  timestamp: string;
  media_type: string;
  /** IG user ids of the professional accounts tagged in it (the `/tags` edge) */
  tags: string[];
  /** IG user ids @mentioned in its caption (`mentioned_media`) */
  mentions: string[];
}

export interface StandinToken {
  igUserId: string;
  expiresAt: number;
  valid: boolean;
}

/**
 * What the Graph API stand-in knows: accounts, tokens and media. Media can be added and removed at any time
 * (a post that appears late, a post deleted after it was verified); the control endpoint and tests change it.
 */
export class GraphState {
  readonly media = new Map<string, StandinMedia>();
  readonly tokens = new Map<string, StandinToken>();
  /** professional accounts business discovery can see, by username */
  readonly professional = new Set<string>();
  private seq = 17_900_000_000_000_000n;

  /** A long-lived user token for the account; `expiresIn` seconds (60 days by default). */
  issueToken(igUserId: string, expiresIn = 60 * 86_400): string {
    const token = `EAAG${randomBytes(24).toString('base64url')}`;
    this.tokens.set(token, { igUserId, expiresAt: Math.floor(Date.now() / 1000) + expiresIn, valid: true });
    return token;
  }

  tokenState(token: string | null): StandinToken | null {
    const t = token ? this.tokens.get(token) : undefined;
    if (!t || !t.valid || t.expiresAt * 1000 <= Date.now()) return null;
    return t;
  }

  /** Publishes a post; returns it with its id and permalink. */
  addMedia(m: {
    username: string;
    caption: string;
    shortcode?: string;
    tags?: string[];
    mentions?: string[];
    mediaType?: string;
    id?: string;
  }): StandinMedia {
    this.seq += 1n;
    const id = m.id ?? String(this.seq);
    const shortcode =
      m.shortcode ??
      `C${randomBytes(8)
        .toString('base64url')
        .replace(/[^A-Za-z0-9]/g, 'x')}`;
    const media: StandinMedia = {
      id,
      username: m.username.toLowerCase(),
      caption: m.caption,
      permalink: `https://www.instagram.com/p/${shortcode}/`,
      timestamp: new Date().toISOString().replace(/\.\d+Z$/, '+0000'),
      media_type: m.mediaType ?? 'IMAGE',
      tags: m.tags ?? [],
      mentions: m.mentions ?? [],
    };
    this.media.set(id, media);
    this.professional.add(media.username);
    return media;
  }

  removeMedia(idOrShortcode: string): boolean {
    for (const [id, m] of this.media) {
      if (id === idOrShortcode || m.permalink.includes(`/${idOrShortcode}/`)) return this.media.delete(id);
    }
    return false;
  }

  /** Newest first, as Instagram lists edges. */
  list(filter: (m: StandinMedia) => boolean): StandinMedia[] {
    return [...this.media.values()].filter(filter).reverse();
  }

  reset(): void {
    this.media.clear();
    this.tokens.clear();
    this.professional.clear();
  }
}
