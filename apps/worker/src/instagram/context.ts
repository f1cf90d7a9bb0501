import type { InstagramAccountDoc, Repositories } from '@seedline/db';
import { jobIdFor, JOB_CATALOGUE, openText, type DataKey } from '@seedline/domain';
import type { GraphClient, Queues } from '@seedline/runtime';
import type { Logger } from 'pino';
import type { WorkerConfig } from '../config.js';

/** What every Instagram step needs: the Graph client, the key that opens tokens, settings and the queue. */
export interface InstagramContext {
  graph: GraphClient;
  /** opens the tokens sealed at rest */
  dataKey: DataKey;
  repos: Repositories;
  queues: Queues;
  config: WorkerConfig;
  logger: Logger;
}

/** The brand's account with its token opened, or null when the brand has none connected. */
export async function connectedAccount(
  ig: InstagramContext,
  brandId: string,
): Promise<{ account: InstagramAccountDoc; token: string } | null> {
  const account = await ig.repos.instagram.account(brandId);
  if (!account) return null;
  const token = openText(account.tokenSealed, ig.dataKey);
  // Sealed under another DATA_KEY (rotated without re-sealing): the brand must connect again.
  if (token === null) throw new Error(`the Instagram token of brand ${brandId} does not open with DATA_KEY`);
  return { account, token };
}

/**
 * Queues a check's look-up for `at`; the job id names the check and the time, so sweeps never double it. A
 * `round` (the sweep's) gives a check still due long after its time a fresh job: the first one may have failed
 * for good, and a pending verification must never be left behind.
 */
export async function queueCheck(
  ig: Pick<InstagramContext, 'queues'>,
  checkId: string,
  at: Date,
  round?: number,
): Promise<void> {
  const key = `${checkId}-${at.getTime()}${round === undefined ? '' : `-r${round}`}`;
  await ig.queues.instagram.add(
    'instagram',
    { task: 'check', checkId },
    {
      ...JOB_CATALOGUE.instagram.options,
      jobId: jobIdFor('igc', key),
      delay: Math.max(0, at.getTime() - Date.now()),
    },
  );
}

export const secondsFromNow = (seconds: number, from = Date.now()) => new Date(from + seconds * 1000);
