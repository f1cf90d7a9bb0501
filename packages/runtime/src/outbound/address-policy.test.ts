import { describe, expect, it } from 'vitest';
import { bareHost, isGlobalUnicast } from './address-policy.js';

describe('isGlobalUnicast', () => {
  it.each([
    '10.1.2.3',
    '172.16.0.1',
    '172.31.255.255',
    '192.168.1.1',
    '127.0.0.1',
    '127.8.9.10',
    '169.254.169.254',
    '0.0.0.0',
    '100.64.0.1',
    '192.0.2.10',
    '198.18.0.1',
    '224.0.0.1',
    '255.255.255.255',
    '::1',
    '::',
    'fc00::1',
    'fd12:3456::1',
    'fe80::1',
    'ff02::1',
    '::ffff:127.0.0.1',
    '::ffff:10.0.0.1',
    '::ffff:8.8.8.8',
    '64:ff9b::a00:1',
    '2001:db8::1',
    '2002:a00:1::1',
    'localhost',
    'not-an-ip',
  ])('refuses %s', (address) => {
    expect(isGlobalUnicast(address)).toBe(false);
  });

  it.each(['93.184.215.14', '8.8.8.8', '172.32.0.1', '100.128.0.1', '2606:4700:4700::1111', '2a00:1450:4001::200e'])(
    'allows %s',
    (address) => {
      expect(isGlobalUnicast(address)).toBe(true);
    },
  );

  it('takes IPv6 literals out of their brackets', () => {
    expect(bareHost('[::1]')).toBe('::1');
    expect(bareHost('example.com')).toBe('example.com');
  });
});
