import { z } from 'zod';

export const objectId = z.string().regex(/^[0-9a-f]{24}$/, 'must be a 24-character hex id');
/** Event ids end up in BullMQ job ids and MongoDB _ids: no `:`, no whitespace, bounded. */
export const eventId = z
  .string()
  .min(1)
  .max(128)
  .regex(/^[A-Za-z0-9_.-]+$/, 'may contain only letters, digits, `_`, `.` and `-`');
export const isoDate = z.iso.datetime({ offset: true });
