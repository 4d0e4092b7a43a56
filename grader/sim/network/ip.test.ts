import { describe, expect, it } from 'vitest';
import { intToIp, ipToInt, isIPv4 } from './ip.ts';

describe('ipToInt', () => {
  it.each([
    ['10.96.0.10', 0x0a60000a],
    ['255.255.255.255', 0xffffffff],
    ['0.0.0.0', 0],
    ['001.002.003.004', 0x01020304],
  ])('%s → %i', (ip, n) => {
    expect(ipToInt(ip)).toBe(n);
    expect(isIPv4(ip)).toBe(true);
  });

  it.each(['256.1.1.1', '1.2.3', '1.2.3.4.5', '0001.2.3.4', '1..2.3', '.1.2.3', '1.2.3.', '', 'web', ' 1.2.3.4', '1.2.3.-4', 'a.b.c.d'])('%j is not an IPv4 address', (ip) => {
    expect(ipToInt(ip)).toBeUndefined();
    expect(isIPv4(ip)).toBe(false);
  });

  it('round-trips with intToIp', () => {
    for (const ip of ['10.244.1.254', '172.18.255.200', '1.0.0.1']) expect(intToIp(ipToInt(ip)!)).toBe(ip);
  });
});
