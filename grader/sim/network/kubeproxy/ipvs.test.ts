import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../../util/clock.ts';
import { Rng } from '../../../util/rng.ts';
import { balancerConformance } from './balancer.case.ts';
import { IpvsBalancer } from './ipvs.ts';
import { epKey } from './balancer.ts';

balancerConformance('ipvs', (clock, rng) => new IpvsBalancer(clock, rng));

const eps = [1, 2, 3].map((i) => ({ ip: `10.244.1.${i}`, port: 80 }));
const req = { servicePort: 's', virtualServer: '10.96.0.9:80/TCP', endpoints: eps, clientIP: '10.244.9.9' };

describe('ipvs mode (rr)', () => {
  it('is strict round-robin: 9 requests over 3 pods are exactly 3/3/3, in order', () => {
    const b = new IpvsBalancer(new VirtualClock(), new Rng(3));
    const order = Array.from({ length: 9 }, () => epKey(b.pick(req)!.endpoint));
    expect(order).toEqual([...eps, ...eps, ...eps].map(epKey));
  });

  it('keeps a separate rotation per virtual server', () => {
    const b = new IpvsBalancer(new VirtualClock(), new Rng(3));
    expect(b.pick(req)!.endpoint).toBe(eps[0]);
    expect(b.pick({ ...req, virtualServer: '172.18.0.3:30080/TCP' })!.endpoint).toBe(eps[0]);
    expect(b.pick(req)!.endpoint).toBe(eps[1]);
  });

  it('explains its choice', () => {
    const b = new IpvsBalancer(new VirtualClock(), new Rng(3));
    expect(b.pick(req)!.detail).toBe('kube-proxy (ipvs rr): next in round-robin order is 10.244.1.1:80 (1 of 3)');
  });
});
