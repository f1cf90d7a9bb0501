import { RedirectAllowList } from '@seedline/domain';
import { HttpError } from '@seedline/http';

const FIELDS = ['productUrl', 'reviewUrl'] as const;

/**
 * A campaign's redirect targets checked against the allow-list on create and update: a 400 naming each
 * refused field (`body.productUrl`), so our link domain never redirects off to a host nobody allowed.
 */
export function redirectTargetCheck(allowedHosts: readonly string[]) {
  const allowList = new RedirectAllowList(allowedHosts);
  return (body: Partial<Record<(typeof FIELDS)[number], string>>): void => {
    const details = FIELDS.flatMap((field) => {
      const value = body[field];
      const reason = value === undefined ? null : allowList.refusal(value);
      return reason === null ? [] : [{ path: `body.${field}`, message: reason }];
    });
    const first = details[0];
    if (first) throw new HttpError(400, 'invalid_request', `${first.path}: ${first.message}`, details);
  };
}
