import { BoundedCache, classifyClick } from '@seedline/domain';

/**
 * Bot or person, remembered per user-agent string: real traffic repeats a small set of user agents (one
 * per browser build), and the crawler patterns are large regular expressions worth running once per agent.
 */
export class BotFilter {
  private readonly seen: BoundedCache<string, boolean>;

  constructor(maxEntries = 5000) {
    this.seen = new BoundedCache(maxEntries);
  }

  isHuman(method: string, userAgent: string | undefined): boolean {
    if (method === 'HEAD' || !userAgent) return classifyClick({ method, userAgent }) === 'human';
    return this.seen.getOrCompute(userAgent, () => classifyClick({ method, userAgent }) === 'human');
  }
}
