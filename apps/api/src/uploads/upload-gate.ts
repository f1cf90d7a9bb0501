import type { RequestHandler } from 'express';
import { HttpError } from '@seedline/http';

export interface UploadGateLimits {
  /** uploads read, parsed and stored at once in this process */
  running: number;
  /** uploads waiting for a turn; past this a new one answers 503 with Retry-After */
  waiting: number;
}

/**
 * Report and tag uploads take turns, per api process. A 10,000-row JSON report grows the api by ~190 MB until
 * stored: four legal uploads at once took it to 531–574 MiB, past its 512 MiB limit (one at a time: 453–478). The gate stands before the body parsers, so a waiting upload's body stays unread
 * in its socket, and its turn ends when the response does (sent, failed or the client gone).
 */
export function uploadGate(limits: UploadGateLimits): RequestHandler & { waiting: () => number } {
  let running = 0;
  const queue: Array<() => void> = [];
  // A turn that ends hands its place to the first waiting upload, if any.
  const release = () => {
    const waiter = queue.shift();
    if (waiter) waiter();
    else running--;
  };
  const handler: RequestHandler = (_req, res, next) => {
    let state: 'waiting' | 'running' | 'done' = 'waiting';
    const turn = () => {
      state = 'running';
      next();
    };
    // The response's end (sent, failed, or the client gone) ends the turn, or leaves the queue unserved.
    res.on('close', () => {
      if (state === 'running') release();
      else if (state === 'waiting') {
        const at = queue.indexOf(turn);
        if (at >= 0) queue.splice(at, 1);
      }
      state = 'done';
    });
    if (running < limits.running) {
      running++;
      turn();
    } else if (queue.length < limits.waiting) {
      queue.push(turn);
    } else {
      state = 'done';
      next(
        new HttpError(503, 'uploads_busy', 'other uploads are being read: send this one again in a few seconds', [], {
          'Retry-After': '5',
        }),
      );
    }
  };
  return Object.assign(handler, { waiting: () => queue.length });
}
