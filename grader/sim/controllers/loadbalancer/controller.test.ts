import { describe, expect, it } from 'vitest';
import type { Service } from '../../api/types.ts';
import { fakeContext, kindNodes, makeService, makeSlice } from '../../network/testkit.ts';
import { StoreNetworkState } from '../../network/state.ts';
import { LoadBalancerController } from './controller.ts';
import { allocate, poolsFrom } from './pool.ts';
import { announcingNode } from './l2.ts';

function setup(pool: { first: string; last: string } | null = { first: '172.18.255.200', last: '172.18.255.202' }) {
  const ctx = fakeContext({ loadBalancerPool: pool });
  for (const n of kindNodes()) ctx.store.put(n);
  const state = new StoreNetworkState(ctx.store);
  const down = new Set<string>();
  ctx.controllers.register(new LoadBalancerController(ctx, state, { nodeUp: (n: string) => !down.has(n) }));
  const put = (o: any) => { ctx.store.put(o); ctx.controllers.settle(); };
  const ip = (name: string) => (ctx.store.get('Service', 'default', name) as Service).status?.loadBalancer?.ingress?.[0]?.ip;
  const lb = (name: string, extra: Partial<Service['spec']> = {}, annotations?: Record<string, string>) =>
    makeService(name, { type: 'LoadBalancer', clusterIP: '10.96.0.1', ports: [{ port: 80, nodePort: 30000 }], ...extra }, { annotations });
  return { ctx, state, put, ip, lb, down };
}

describe('LoadBalancer controller (MetalLB-style)', () => {
  it('assigns the lowest free address and records IPAllocated', () => {
    const { put, ip, lb, ctx } = setup();
    put(lb('a'));
    put(lb('b'));
    expect(ip('a')).toBe('172.18.255.200');
    expect(ip('b')).toBe('172.18.255.201');
    expect(ctx.events.for('Service', 'default', 'a').map((e) => e.reason)).toContain('IPAllocated');
  });

  it('honours spec.loadBalancerIP and the MetalLB annotation when in the pool and free', () => {
    const { put, ip, lb, ctx } = setup();
    put(lb('a', { loadBalancerIP: '172.18.255.202' }));
    put(lb('b', {}, { 'metallb.universe.tf/loadBalancerIPs': '172.18.255.201' }));
    put(lb('c', {}, { 'metallb.universe.tf/loadBalancerIPs': '172.18.255.201' }));
    put(lb('d', { loadBalancerIP: '104.154.109.191' }));
    expect([ip('a'), ip('b'), ip('c'), ip('d')]).toEqual(['172.18.255.202', '172.18.255.201', undefined, undefined]);
    expect(ctx.events.for('Service', 'default', 'd').at(-1)!.message).toBe('Failed to allocate IP for "default/d": ["104.154.109.191"] is not allowed in config');
  });

  it('stays pending when the pool is exhausted, and gets the address once one is released', () => {
    const { put, ip, lb, ctx } = setup({ first: '172.18.255.200', last: '172.18.255.201' });
    put(lb('a'));
    put(lb('b'));
    put(lb('c'));
    expect(ip('c')).toBeUndefined();
    const ev = ctx.events.for('Service', 'default', 'c');
    expect(ev).toHaveLength(1);
    expect(ev[0]).toMatchObject({ type: 'Warning', reason: 'AllocationFailed', message: 'Failed to allocate IP for "default/c": no available IPs' });
    ctx.store.remove('Service', 'default', 'a');
    ctx.controllers.settle();
    expect(ip('c')).toBe('172.18.255.200');
  });

  it('releases the address on a change of type', () => {
    const { put, ip, lb, ctx } = setup();
    put(lb('a'));
    const s = structuredClone(ctx.store.get('Service', 'default', 'a') as Service);
    s.spec.type = 'NodePort';
    put(s);
    expect(ip('a')).toBeUndefined();
  });

  it('keeps the address for the Service life, whatever happens to nodes', () => {
    const { put, ip, lb, ctx, down } = setup();
    put(lb('a'));
    const first = ip('a');
    down.add('kind-worker');
    const n = structuredClone(ctx.store.get('Node', undefined, 'kind-worker')!);
    n.status.conditions = [{ type: 'Ready', status: 'Unknown' }];
    put(n);
    put({ ...structuredClone(ctx.store.get('Service', 'default', 'a')!), metadata: { ...ctx.store.get('Service', 'default', 'a')!.metadata, labels: { x: 'y' } } });
    expect(ip('a')).toBe(first);
  });

  it('without any pool, EXTERNAL-IP stays pending and nothing is recorded', () => {
    const { put, ip, lb, ctx } = setup(null);
    put(lb('a'));
    expect(ip('a')).toBeUndefined();
    expect(ctx.events.events).toEqual([]);
  });

  it('honours IPAddressPool objects in metallb-system', () => {
    const { put, ip, lb } = setup(null);
    put({ apiVersion: 'metallb.io/v1beta1', kind: 'IPAddressPool', metadata: { name: 'example', namespace: 'metallb-system' }, spec: { addresses: ['192.168.10.0/24', '192.168.9.1-192.168.9.5', 'fc00:f853:0ccd:e799::/124'] } });
    put({ apiVersion: 'metallb.io/v1beta1', kind: 'IPAddressPool', metadata: { name: 'elsewhere', namespace: 'default' }, spec: { addresses: ['10.9.9.9/32'] } });
    put(lb('a'));
    expect(ip('a')).toBe('192.168.10.0');
  });

  it('pools: avoidBuggyIPs, autoAssign false and the address-pool annotation', () => {
    const pools = poolsFrom(null, [
      { apiVersion: 'metallb.io/v1beta1', kind: 'IPAddressPool', metadata: { name: 'a', namespace: 'metallb-system' }, spec: { addresses: ['10.0.0.0/24'], avoidBuggyIPs: true } },
      { apiVersion: 'metallb.io/v1beta1', kind: 'IPAddressPool', metadata: { name: 'b', namespace: 'metallb-system' }, spec: { addresses: ['10.1.0.5-10.1.0.6'], autoAssign: false } },
    ]);
    const svc = makeService('x', { type: 'LoadBalancer' });
    expect(allocate(svc, pools, new Map())).toEqual({ ok: true, ip: '10.0.0.1', pool: 'a' });
    svc.metadata.annotations = { 'metallb.universe.tf/address-pool': 'b' };
    expect(allocate(svc, pools, new Map())).toEqual({ ok: true, ip: '10.1.0.5', pool: 'b' });
  });
});

describe('layer-2 announcement', () => {
  it('one stable node owns the IP, never the excluded control plane; another takes over when it dies', () => {
    const { state, ctx } = setup();
    const svc = makeService('a', { type: 'LoadBalancer', ports: [{ port: 80 }] });
    const down = new Set<string>();
    const up = (n: string) => !down.has(n);
    const owner = announcingNode(state, svc, '172.18.255.200', up).node!;
    expect(owner).toMatch(/^kind-worker/);
    expect(announcingNode(state, svc, '172.18.255.200', up).node).toBe(owner);
    down.add(owner);
    const next = announcingNode(state, svc, '172.18.255.200', up).node!;
    expect(next).toMatch(/^kind-worker/);
    expect(next).not.toBe(owner);
    expect(ctx).toBeDefined();
  });

  it('with externalTrafficPolicy Local only nodes with a ready local endpoint announce', () => {
    const { state, ctx } = setup();
    const svc = makeService('a', { type: 'LoadBalancer', externalTrafficPolicy: 'Local', ports: [{ port: 80 }] });
    ctx.store.put(svc);
    expect(announcingNode(state, svc, '172.18.255.200', () => true).node).toBeUndefined();
    ctx.store.put(makeSlice('a', [{ ip: '10.244.3.4', node: 'kind-worker3' }], [{ port: 80 }]));
    expect(announcingNode(state, svc, '172.18.255.200', () => true).node).toBe('kind-worker3');
  });
});
