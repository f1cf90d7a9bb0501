import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import { Router, type RequestHandler } from 'express';
import { QUEUE_NAMES } from '@seedline/domain';
import type { Queues } from '@seedline/runtime';

export const BULL_BOARD_PATH = '/admin/queues';

/**
 * Bull Board over every queue of the catalogue (the Queue objects carry the prefix). It has no authentication
 * of its own, so the admin check (`adminAuth` with the Basic challenge) runs before any of its routes, assets included; the Basic challenge lets a
 * browser ask for the token. Its base path must equal the mount path or the page loads blank.
 */
export function bullBoardRouter(queues: Queues, admin: RequestHandler): Router {
  const serverAdapter = new ExpressAdapter();
  serverAdapter.setBasePath(BULL_BOARD_PATH);
  createBullBoard({
    queues: QUEUE_NAMES.map((name) => new BullMQAdapter(queues[name])),
    serverAdapter,
    options: { uiConfig: { boardTitle: 'Seedline queues' } },
  });
  const router = Router();
  // @bull-board/express declares getRouter() as returning any; it is an Express router.
  router.use(BULL_BOARD_PATH, admin, serverAdapter.getRouter() as Router);
  return router;
}
