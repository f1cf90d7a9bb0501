import type { ReimbursementMove } from '@seedline/domain';
import type { Logger } from './logger.js';

/** What tells a brand's endpoints of a move (the api's and the worker's `WebhookEvents`). */
export interface MoveWebhooks {
  reimbursementMoved(move: ReimbursementMove, handleOf: () => Promise<string | null>): Promise<void>;
}

export interface MoveAnnouncerContext {
  /** read at each move: the repositories that call this are built before the webhooks they announce through */
  webhooks: () => MoveWebhooks;
  handleOf: (reimbursementId: string) => Promise<string | null>;
  touchSummaries: (campaignIds: string[]) => Promise<void>;
  logger: Logger;
}

/**
 * The listener both the api and the worker give their repositories for reimbursement moves: the move becomes the
 * brand's `reimbursement.updated`, and the campaign's live stream is told its summary moved. A dashboard missing
 * that summary gets the next one, so the move never fails for it.
 */
export function announceReimbursementMoves(ctx: MoveAnnouncerContext): (move: ReimbursementMove) => Promise<void> {
  return async (move) => {
    await ctx.webhooks().reimbursementMoved(move, () => ctx.handleOf(move.reimbursementId));
    await ctx
      .touchSummaries([move.campaignId])
      .catch((err: Error) => ctx.logger.warn({ err: err.message }, 'live summary touch failed'));
  };
}
