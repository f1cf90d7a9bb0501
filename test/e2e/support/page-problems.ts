import type { BrowserContext } from 'playwright-core';

/**
 * Watches browser contexts for what no page of ours may show: an uncaught script error, or a console line that
 * `consoleProblem` matches (a CSP refusal). Each test names its own console pattern, as what it tolerates
 * differs: a test that takes the API down expects the browser's net::ERR_CONNECTION_REFUSED lines, one that
 * keeps it up does not. Returns `problems`, which the test expects to stay empty.
 */
export function watchPageProblems(
  contexts: BrowserContext[],
  consoleProblem: RegExp,
  problems: string[] = [],
): string[] {
  for (const context of contexts) {
    context.on('weberror', (err) => problems.push(`error: ${err.error().message}`));
    context.on('console', (msg) => {
      if (consoleProblem.test(msg.text())) problems.push(`console: ${msg.text()}`);
    });
  }
  return problems;
}
