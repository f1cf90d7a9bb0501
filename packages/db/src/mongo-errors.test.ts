import { describe, expect, it } from 'vitest';
import { isDatabaseUnreachable } from './mongo-errors.js';

const named = (name: string, extra: Record<string, unknown> = {}) => Object.assign(new Error('x'), { name }, extra);

describe('isDatabaseUnreachable', () => {
  it('recognises the driver’s connection failures and FerretDB’s answers while PostgreSQL is down', () => {
    expect(isDatabaseUnreachable(named('MongoNetworkError'))).toBe(true);
    expect(isDatabaseUnreachable(named('MongoServerSelectionError'))).toBe(true);
    // As FerretDB 2.7 answered here with its PostgreSQL stopped.
    const pgDown = named('MongoServerError', {
      code: 1,
      codeName: 'InternalError',
      message:
        'msg_insert.go:55 (handler.(*Handler).msgInsert): pool.go:90 (documentdb.(*Pool).Acquire): failed to connect to `user=postgres database=postgres`',
    });
    expect(isDatabaseUnreachable(pgDown)).toBe(true);
    expect(isDatabaseUnreachable(new Error('wrapped', { cause: pgDown }))).toBe(true);
  });

  it('leaves refused writes and bad data to the ordinary retries', () => {
    expect(isDatabaseUnreachable(named('MongoServerError', { code: 11000, message: 'E11000 duplicate key' }))).toBe(
      false,
    );
    expect(isDatabaseUnreachable(named('MongoServerError', { code: 1, message: 'invalid document' }))).toBe(false);
    expect(isDatabaseUnreachable(new Error('submission shown kept changing'))).toBe(false);
    expect(isDatabaseUnreachable(null)).toBe(false);
  });
});
