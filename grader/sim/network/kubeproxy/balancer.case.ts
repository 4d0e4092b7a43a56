/**
 * The conformance suite every Balancer must pass (used by iptables.test.ts and ipvs.test.ts):
 * the behaviour kube-proxy guarantees in both modes. Mode-specific distribution (random vs
 * round-robin) is tested beside each implementation.
 */
import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../../util/clock.ts';
import { Rng } from '../../../util/rng.ts';
import { type Balancer, type BackendEndpoint, type PickRequest, type TimeSource, epKey } from './balancer.ts';

export type BalancerFactory = (clock: TimeSource, rng: Rng) => Balancer;

const eps = (n: number): BackendEndpoint[] => Array.from({ length: n }, (_, i) => ({ ip: `10.244.1.${i + 2}`, port: 80 }));
const req = (endpoints: BackendEndpoint[], extra: Partial<PickRequest> = {}): PickRequest => ({
  servicePort: 'default/web:', virtualServer: '10.96.0.20:80/TCP', endpoints, clientIP: '10.244.2.9', ...extra,
});

export function balancerConformance(mode: 'iptables' | 'ipvs', make: BalancerFactory): void {
  describe(`Balancer conformance: ${mode}`, () => {
    const setup = () => {
      const clock = new VirtualClock();
      return { clock, b: make(clock, new Rng(7)) };
    };

    it('reports its mode', () => {
      expect(setup().b.mode).toBe(mode);
    });

    it('returns nothing for no endpoints and the only one for one', () => {
      const { b } = setup();
      expect(b.pick(req([]))).toBeUndefined();
      for (let i = 0; i < 5; i++) expect(b.pick(req(eps(1)))!.endpoint).toEqual(eps(1)[0]);
    });

    it('only picks given endpoints and, over many new connections, gives each about 1/n', () => {
      const { b } = setup();
      const list = eps(3);
      const counts = new Map<string, number>();
      for (let i = 0; i < 3000; i++) {
        const r = b.pick(req(list))!;
        expect(r.reason).toBe('new');
        counts.set(epKey(r.endpoint), (counts.get(epKey(r.endpoint)) ?? 0) + 1);
      }
      expect([...counts.keys()].sort()).toEqual(list.map(epKey).sort());
      for (const c of counts.values()) expect(c / 3000).toBeGreaterThan(0.28), expect(c / 3000).toBeLessThan(0.39);
    });

    it('keeps a keep-alive connection on its backend, and re-picks when that backend is gone', () => {
      const { b } = setup();
      const list = eps(3);
      const first = b.pick(req(list, { connectionKey: 'c1' }))!;
      for (let i = 0; i < 30; i++) {
        const r = b.pick(req(list, { connectionKey: 'c1' }))!;
        expect(r.reason).toBe('connection');
        expect(r.endpoint).toEqual(first.endpoint);
      }
      const rest = list.filter((e) => epKey(e) !== epKey(first.endpoint));
      const after = b.pick(req(rest, { connectionKey: 'c1' }))!;
      expect(rest.map(epKey)).toContain(epKey(after.endpoint));
    });

    it('ClientIP affinity: a client sticks, refreshes on use, expires after the timeout', () => {
      const { b, clock } = setup();
      const list = eps(4);
      const a = { affinityTimeoutSeconds: 10 };
      const first = b.pick(req(list, a))!;
      expect(first.reason).toBe('new');
      for (let i = 0; i < 10; i++) {
        const r = b.pick(req(list, a))!;
        expect(r.reason).toBe('affinity');
        expect(r.endpoint).toEqual(first.endpoint);
      }
      clock.step(clock.now() + 8000);
      expect(b.pick(req(list, a))!.reason).toBe('affinity');
      clock.step(clock.now() + 8000);
      expect(b.pick(req(list, a))!.reason).toBe('affinity');
      clock.step(clock.now() + 11_000);
      expect(b.pick(req(list, a))!.reason).toBe('new');
    });

    it('ClientIP affinity is per client, and ignores an endpoint that went away', () => {
      const { b } = setup();
      const list = eps(3);
      const a = { affinityTimeoutSeconds: 10800 };
      const seen = new Set<string>();
      for (let c = 0; c < 30; c++) seen.add(epKey(b.pick(req(list, { ...a, clientIP: `10.244.3.${c + 2}` }))!.endpoint));
      expect(seen.size).toBeGreaterThan(1);
      const mine = b.pick(req(list, a))!.endpoint;
      const rest = list.filter((e) => epKey(e) !== epKey(mine));
      const r = b.pick(req(rest, a))!;
      expect(r.reason).toBe('new');
      expect(rest.map(epKey)).toContain(epKey(r.endpoint));
    });

    it('without affinity, a new connection is a new choice every time', () => {
      const { b } = setup();
      const list = eps(2);
      const seen = new Set<string>();
      for (let i = 0; i < 20; i++) {
        const r = b.pick(req(list))!;
        expect(r.reason).toBe('new');
        seen.add(epKey(r.endpoint));
      }
      expect(seen.size).toBe(2);
    });

    it('is reproducible from its seed', () => {
      const run = () => {
        const b = make(new VirtualClock(), new Rng(42));
        return Array.from({ length: 20 }, () => epKey(b.pick(req(eps(5)))!.endpoint)).join(',');
      };
      expect(run()).toBe(run());
    });
  });
}
