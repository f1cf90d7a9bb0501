import express, { type RequestHandler } from 'express';
import { HttpError } from './errors.js';

/**
 * How many values parsing a JSON text would build, counted without building them: each `{`, `[` and `,`
 * outside strings starts one. Stops counting past `stopAt`.
 */
export function jsonValueCount(text: string, stopAt: number): number {
  let count = 0;
  let inString = false;
  for (let i = 0; i < text.length && count <= stopAt; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++;
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b || c === 0x2c) count++;
  }
  return count;
}

/**
 * A JSON body parser with a cap on what it builds as well as on bytes: 8 MB of `[0,0,…]` is 4 M values, far
 * more heap than the text. Over `maxValues` → 413 `tooMany` before anything is parsed; otherwise the body is
 * parsed as `express.json({strict: true})` would (objects and arrays only; 400 invalid_json).
 */
export function boundedJsonBody(limit: string, maxValues: number, tooMany: string): RequestHandler[] {
  return [
    express.text({ type: 'application/json', limit }),
    (req, _res, next) => {
      if (!req.is('application/json') || typeof req.body !== 'string') return next();
      if (jsonValueCount(req.body, maxValues) > maxValues)
        return next(new HttpError(413, 'payload_too_large', tooMany, [{ path: 'body', message: tooMany }]));
      let parsed: unknown;
      try {
        parsed = JSON.parse(req.body);
      } catch {
        return next(new HttpError(400, 'invalid_json', 'body is not valid JSON'));
      }
      if (typeof parsed !== 'object' || parsed === null)
        return next(new HttpError(400, 'invalid_json', 'body must be a JSON object or array'));
      req.body = parsed;
      next();
    },
  ];
}
