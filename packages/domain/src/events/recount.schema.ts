import { z } from 'zod';
import { objectId } from './common.js';

/**
 * Compare stage counters with the documents and repair drift: one campaign, or every campaign when
 * `campaignId` is absent (the periodic run).
 */
export const recountJob = z.object({ campaignId: objectId.optional() });
export type RecountJob = z.infer<typeof recountJob>;
