import { ApiError } from './api.js';
import { clear, h } from './dom.js';

/**
 * Says in a panel what failed and why (in place of its content, or above it), and hands the failures that
 * concern the whole page (key refused, API unreachable) to the page's own handler.
 */
export function showPanelError(
  where: HTMLElement,
  err: unknown,
  what: string,
  onError: (err: ApiError) => void,
  replace = true,
): void {
  const apiErr = err instanceof ApiError ? err : new ApiError('network', String(err));
  if (replace) clear(where);
  where.prepend(h('p', { class: 'error', role: 'alert' }, `${what} ${apiErr.message}`));
  if (apiErr.kind !== 'bad_request' && apiErr.kind !== 'not_found') onError(apiErr);
}
