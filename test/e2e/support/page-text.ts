import type { Locator } from 'playwright-core';
import { pollUntil } from '@seedline/testkit';

/** The text as rendered (innerText: block elements apart), whitespace collapsed. */
export async function text(locator: Locator): Promise<string> {
  return (await locator.innerText({ timeout: 5_000 })).replace(/\s+/g, ' ').trim();
}

/** Waits until the locator's text matches (poll-until, not a sleep); fails with the last text seen. */
export function waitForText(
  locator: Locator,
  expected: string | RegExp,
  what: string,
  timeoutMs = 20_000,
): Promise<string> {
  let last = '';
  return pollUntil(
    async () => {
      last = await text(locator).catch((err: Error) => `(${err.message.split('\n')[0]})`);
      return (typeof expected === 'string' ? last === expected : expected.test(last)) ? last : undefined;
    },
    { what, timeoutMs, intervalMs: 100 },
  ).catch((err: Error) => {
    throw new Error(`${err.message.split(';')[0]}; expected ${String(expected)}, last text: ${JSON.stringify(last)}`);
  });
}
