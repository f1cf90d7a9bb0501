import { classifyClick } from '@seedline/domain';

/**
 * Bot or person, remembered per user-agent string: real traffic repeats a small set of user agents (one
 * per browser build), and the crawler patterns are large regular expressions worth running once per agent.
 */
export class BotFilter {
  private readonly seen = new Map<string, boolean>();

  constructor(private readonly maxEntries = 5000) {}

  isHuman(method: string, userAgent: string | undefined): boolean {
    if (method === 'HEAD' || !userAgent) return classifyClick({ method, userAgent }) === 'human';
    let human = this.seen.get(userAgent);
    if (human === undefined) {
      human = classifyClick({ method, userAgent }) === 'human';
      if (this.seen.size >= this.maxEntries) this.seen.clear();
      this.seen.set(userAgent, human);
    }
    return human;
  }
}
