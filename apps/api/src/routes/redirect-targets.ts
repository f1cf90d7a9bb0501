import { RedirectAllowList } from '@seedline/domain';
import { HttpError } from '@seedline/http';

const FIELDS = ['productUrl', 'reviewUrl'] as const;

/**
 * A campaign's redirect targets checked against the allow-list on create and update: a 400 naming each
 * refused field (`body.productUrl`), so our link domain never redirects off to a host nobody allowed. An
 * allowed target is stored as the URL parser writes it (`HTTPS://WWW.AMAZON.COM:443/x` → `https://www.amazon.com/x`):
 * the campaign shows what its links redirect to.
 */
export function redirectTargetCheck(allowedHosts: readonly string[]) {
  const allowList = new RedirectAllowList(allowedHosts);
  return <T extends Partial<Record<(typeof FIELDS)[number], string>>>(body: T): T => {
    const details = FIELDS.flatMap((field) => {
      const value = body[field];
      const reason = value === undefined ? null : allowList.refusal(value);
      return reason === null ? [] : [{ path: `body.${field}`, message: reason }];
    });
    const first = details[0];
    if (first) throw new HttpError(400, 'invalid_request', `${first.path}: ${first.message}`, details);
    const normalised = { ...body };
    for (const field of FIELDS) {
      const value = body[field];
      if (value !== undefined) normalised[field] = new URL(value).href;
    }
    return normalised;
  };
}
