import { acceptedOrder, type SignupJob } from '@seedline/domain';

export type ContactJob = Pick<SignupJob, 'at' | 'accepted' | 'email' | 'timezone'>;
type ContactField = 'email' | 'timezone';
const ORDER_OF: Record<ContactField, 'emailAccepted' | 'timezoneAccepted'> = {
  email: 'emailAccepted',
  timezone: 'timezoneAccepted',
};

/**
 * The updates that give an influencer the email and time zone of its last accepted sign-up, whatever order the
 * sign-ups' jobs run in: each field is set with the acceptance order of the sign-up it came from, by a
 * compare on that order (`$not: {$gte}` also matches documents written before the order was kept). A
 * redelivery compares equal and changes nothing; a sign-up without the field leaves it as it is. Each field
 * has its own order, so a later sign-up that gives only a time zone keeps the email of an earlier one.
 */
function lastOf(jobs: ContactJob[], field: ContactField): { value: string; order: number } | null {
  let last: { value: string; order: number } | null = null;
  for (const job of jobs) {
    const value = job[field];
    const order = acceptedOrder(job);
    if (value !== undefined && (!last || order > last.order)) last = { value, order };
  }
  return last;
}

export function contactUpdates(id: string, jobs: ContactJob[]) {
  return (Object.keys(ORDER_OF) as ContactField[]).flatMap((field) => {
    const last = lastOf(jobs, field);
    if (!last) return [];
    const orderField = ORDER_OF[field];
    return [
      {
        updateOne: {
          filter: { _id: id, [orderField]: { $not: { $gte: last.order } } },
          update: { $set: { [field]: last.value, [orderField]: last.order } },
        },
      },
    ];
  });
}

/** The same fields for a document inserted whole (its first write: there is nothing to compare with). */
export function contactFields(jobs: ContactJob[]): Record<string, string | number> {
  const out: Record<string, string | number> = {};
  for (const field of Object.keys(ORDER_OF) as ContactField[]) {
    const last = lastOf(jobs, field);
    if (!last) continue;
    out[field] = last.value;
    out[ORDER_OF[field]] = last.order;
  }
  return out;
}
