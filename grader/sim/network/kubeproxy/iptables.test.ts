import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../../util/clock.ts';
import { Rng } from '../../../util/rng.ts';
import { balancerConformance } from './balancer.case.ts';
import { IptablesBalancer } from './iptables.ts';
import { epKey } from './balancer.ts';

balancerConformance('iptables', (clock, rng) => new IptablesBalancer(clock, rng));

const eps = [1, 2, 3].map((i) => ({ ip: `10.244.1.${i}`, port: 80 }));
const req = { servicePort: 's', virtualServer: 'v', endpoints: eps, clientIP: '10.244.9.9' };

describe('iptables mode', () => {
  it('is not round-robin: 9 requests over 3 pods are often not 3/3/3, and can skip a pod', () => {
    const b = new IptablesBalancer(new VirtualClock(), new Rng(3));
    let uneven = 0;
    let skipped = 0;
    for (let t = 0; t < 200; t++) {
      const c = new Map<string, number>();
      for (let i = 0; i < 9; i++) {
        const k = epKey(b.pick(req)!.endpoint);
        c.set(k, (c.get(k) ?? 0) + 1);
      }
      if (![...c.values()].every((v) => v === 3) || c.size < 3) uneven++;
      if (c.size < 3) skipped++;
    }
    expect(uneven).toBeGreaterThan(150);
    expect(skipped).toBeGreaterThan(0);
  });

  it('rule i matches with probability 1/(n−i): the first rule takes about a third', () => {
    const b = new IptablesBalancer(new VirtualClock(), new Rng(11));
    let first = 0;
    for (let i = 0; i < 3000; i++) if (b.pick(req)!.endpoint === eps[0]) first++;
    expect(first / 3000).toBeGreaterThan(0.3);
    expect(first / 3000).toBeLessThan(0.37);
  });

  it('keeps ClientIP affinity across entry points of the same Service port', () => {
    const b = new IptablesBalancer(new VirtualClock(), new Rng(5));
    const a = { ...req, affinityTimeoutSeconds: 100 };
    const first = b.pick({ ...a, virtualServer: '10.96.0.9:80/TCP' })!;
    const viaNodePort = b.pick({ ...a, virtualServer: '172.18.0.3:30080/TCP' })!;
    expect(viaNodePort.reason).toBe('affinity');
    expect(viaNodePort.endpoint).toBe(first.endpoint);
  });

  it('explains its choice', () => {
    const b = new IptablesBalancer(new VirtualClock(), new Rng(5));
    expect(b.pick(req)!.detail).toMatch(/^kube-proxy \(iptables\): picked 10\.244\.1\.\d:80 at random among 3 ready endpoints$/);
  });
});
