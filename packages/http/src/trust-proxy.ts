import { z } from 'zod';
import { proxyEntryProblem } from './client-address.js';

/**
 * `TRUST_PROXY`: whose `X-Forwarded-For` an app believes, as a comma list of CIDRs, addresses or range names
 * (`loopback`, the default: a proxy on this host). A balancer on a private network must be named by its range;
 * trusting every private peer let anything on that network choose the client address (rate limits, bot flags).
 */
export const trustProxy = z
  .string()
  .default('loopback')
  .transform((value, ctx) => {
    const entries = value
      .split(',')
      .map((entry) => entry.trim())
      .filter((entry) => entry !== '');
    if (entries.length === 0) entries.push('loopback');
    for (const entry of entries) {
      const problem = proxyEntryProblem(entry);
      if (problem) {
        ctx.addIssue({ code: 'custom', message: `must be a comma list of CIDRs or loopback (${problem})` });
        return z.NEVER;
      }
    }
    return entries;
  });
