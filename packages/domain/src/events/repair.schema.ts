import { z } from 'zod';
import { objectId } from './common.js';

/**
 * Rebuild an influencer's document from its events. Enqueued (delayed) when a worker takes over the lock of
 * a holder that vanished: FerretDB finishes a dead client's writes on its own time, and one that lands after
 * the takeover can overwrite newer counts with a stale read.
 */
export const repairJob = z.object({ influencerId: objectId });
export type RepairJob = z.infer<typeof repairJob>;
