import { randomBytes } from 'node:crypto';

/** A name no other test (or test run) uses: databases, queue prefixes, spool folders. */
export function uniqueName(label: string): string {
  return `t_${label.replace(/[^a-z0-9]/gi, '').slice(0, 20)}_${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;
}
