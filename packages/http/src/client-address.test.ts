import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ProxyTrust } from './client-address.js';

const trust = new ProxyTrust(['loopback', 'linklocal', 'uniquelocal']);
let base = '';
let server: ReturnType<express.Express['listen']>;
beforeAll(async () => {
  const app = express();
  app.set('trust proxy', trust.expressSetting);
  app.get('/ip', (req, res) => void res.json({ express: req.ip ?? null, ours: trust.clientAddress(req) ?? null }));
  server = app.listen(0, '127.0.0.1');
  await once(server, 'listening');
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('ProxyTrust', () => {
  it("finds the same client address as Express's req.ip under the same trust proxy setting", async () => {
    const chains = [
      undefined,
      '',
      '203.0.113.7',
      '203.0.113.7, 10.0.0.1',
      '10.0.0.1, 203.0.113.7',
      '198.51.100.9, 192.168.1.1, 172.16.5.4, 169.254.3.3',
      '172.32.0.1, 172.31.255.255',
      ' 198.51.100.1 ,, 127.0.0.1 ,',
      ',,,',
      'garbage',
      'unknown, 10.1.1.1',
      '1.2.3.4:80, 10.0.0.2',
      '2001:db8::1, fc00::1, fe80::1',
      '2001:db8::2, ::ffff:10.0.0.2, ::ffff:127.0.0.1',
      '::1',
      'fe80::1%eth0, 203.0.113.8',
      '203.0.113.9 198.51.100.2, 127.0.0.2',
      '10.0.0.1, 10.0.0.2',
    ];
    for (const chain of chains) {
      const res = await fetch(`${base}/ip`, { headers: chain === undefined ? {} : { 'X-Forwarded-For': chain } });
      const { express: theirs, ours } = (await res.json()) as { express: string; ours: string };
      expect(ours, `X-Forwarded-For: ${chain}`).toBe(theirs);
    }
  });

  it('trusts only the named ranges', () => {
    expect(
      [
        '127.0.0.1',
        '::1',
        '10.2.3.4',
        '172.16.0.1',
        '192.168.0.1',
        '169.254.1.1',
        'fe80::1%eth0',
        'fd00::1',
        '::ffff:192.168.0.1',
      ].filter((a) => !trust.trusts(a)),
    ).toEqual([]);
    expect(
      ['203.0.113.7', '172.32.0.1', '2001:db8::1', 'garbage', '', '::ffff:8.8.8.8'].filter((a) => trust.trusts(a)),
    ).toEqual([]);
    expect(new ProxyTrust(['loopback']).trusts('10.0.0.1')).toBe(false);
  });
});
