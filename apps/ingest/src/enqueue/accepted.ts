import { acceptanceClock } from '@seedline/domain';

/**
 * This process's acceptance order of requests that carry new data for the same influencer (re-sign-ups,
 * unsubscribes): it names their jobs, so a repeat is a job of its own (never folded into a finished one that
 * BullMQ still keeps), and it rides in the payload, so the worker applies the last accepted data.
 */
export const nextAccepted = acceptanceClock();
