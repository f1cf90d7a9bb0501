import { createServer, type Server } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectMongoWithRetry } from '../src/connect.js';

/** A loopback port that takes connections and closes them at once: no database answers there. */
describe('connectMongoWithRetry', () => {
  let server: Server;
  let port = 0;
  beforeAll(async () => {
    server = createServer((socket) => socket.destroy());
    server.listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise((r) => server.close(r)));

  it('reports each failed try and throws the last one', async () => {
    const retries: number[] = [];
    await expect(
      connectMongoWithRetry(`mongodb://127.0.0.1:${port}/none`, {
        attempts: 2,
        onRetry: (attempt) => retries.push(attempt),
      }),
    ).rejects.toThrow();
    expect(retries).toEqual([1]);
  }, 30_000);
});
