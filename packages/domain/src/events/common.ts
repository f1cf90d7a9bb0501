import { z } from 'zod';

export const objectId = z.string().regex(/^[0-9a-f]{24}$/, 'must be a 24-character hex id');
/** Event ids end up in BullMQ job ids and MongoDB _ids: no `:`, no whitespace, bounded. */
const eventIdText = z
  .string()
  .min(1)
  .regex(/^[A-Za-z0-9_.-]+$/, 'may contain only letters, digits, `_`, `.` and `-`');
export const eventId = eventIdText.max(128);
/** A click's id: a tracker's own id (up to 126) is stored with its campaign's (see trackerEventId). */
export const clickEventId = eventIdText.max(160);
export const isoDate = z.iso.datetime({ offset: true });
