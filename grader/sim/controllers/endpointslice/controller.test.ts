import { describe, expect, it } from 'vitest';
import type { EndpointSlice, Pod } from '../../api/types.ts';
import { fakeContext, kindNodes, makePod, makeService } from '../../network/testkit.ts';
import { StoreNetworkState } from '../../network/state.ts';
import { SelectorIndex } from './selector-index.ts';
import { EndpointSliceController, EndpointSliceMirroringController, EndpointsController } from './controller.ts';
import type { EndpointsObject } from './endpoints.ts';

function setup() {
  const ctx = fakeContext();
  for (const n of kindNodes()) ctx.store.put(n);
  const state = new StoreNetworkState(ctx.store);
  const index = new SelectorIndex(ctx.store);
  ctx.controllers.register(new EndpointSliceController(ctx, state, index));
  ctx.controllers.register(new EndpointsController(ctx, index));
  ctx.controllers.register(new EndpointSliceMirroringController(ctx, state));
  const slices = (svc: string) => state.slicesFor('default', svc);
  const eps = (svc: string) => slices(svc).flatMap((s) => s.endpoints.map((e) => ({ ...e, ports: s.ports })));
  return { ctx, state, slices, eps, put: (o: any) => { ctx.store.put(o); ctx.controllers.settle(); } };
}

const web = (name: string, ip: string, extra: Parameters<typeof makePod>[1] = {}) =>
  makePod(name, { labels: { app: 'web' }, ip, ports: [{ name: 'http', containerPort: 8080 }], ...extra });

describe('EndpointSlice controller', () => {
  it('creates a labelled, owned slice named <svc>-xxxxx with ready endpoints', () => {
    const { put, slices } = setup();
    put(makeService('web', { selector: { app: 'web' }, ports: [{ port: 80, targetPort: 'http' }], clusterIP: '10.96.1.1' }));
    put(web('web-1', '10.244.1.5'));
    const [s] = slices('web');
    expect(slices('web')).toHaveLength(1);
    expect(s!.metadata.name).toMatch(/^web-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
    expect(s!.metadata.labels).toMatchObject({ 'kubernetes.io/service-name': 'web', 'endpointslice.kubernetes.io/managed-by': 'endpointslice-controller.k8s.io' });
    expect(s!.metadata.ownerReferences?.[0]).toMatchObject({ kind: 'Service', name: 'web', controller: true });
    expect(s!.ports).toEqual([{ name: '', port: 8080, protocol: 'TCP' }]);
    expect(s!.endpoints).toEqual([
      { addresses: ['10.244.1.5'], conditions: { ready: true, serving: true, terminating: false }, nodeName: 'kind-worker', targetRef: { kind: 'Pod', namespace: 'default', name: 'web-1', uid: 'uid-pod-web-1' } },
    ]);
  });

  it('leaves out terminal and IP-less pods, keeps terminating ones as ready=false', () => {
    const { put, eps } = setup();
    put(makeService('web', { selector: { app: 'web' }, ports: [{ port: 80 }] }));
    put(web('a', '10.244.1.2'));
    put(web('b', '10.244.1.3', { phase: 'Succeeded' }));
    put(web('c', undefined as unknown as string, { ip: undefined, phase: 'Pending' }));
    put(web('d', '10.244.1.4', { terminating: true }));
    put(web('e', '10.244.1.6', { ready: false }));
    const byName = Object.fromEntries(eps('web').map((e) => [e.targetRef!.name, e.conditions]));
    expect(Object.keys(byName).sort()).toEqual(['a', 'd', 'e']);
    expect(byName.d).toEqual({ ready: false, serving: true, terminating: true });
    expect(byName.e).toEqual({ ready: false, serving: false, terminating: false });
  });

  it('publishNotReadyAddresses makes every endpoint ready', () => {
    const { put, eps } = setup();
    put(makeService('db', { selector: { app: 'web' }, clusterIP: 'None', publishNotReadyAddresses: true, ports: [{ port: 80 }] }));
    put(web('a', '10.244.1.2', { ready: false }));
    expect(eps('db')[0]!.conditions).toEqual({ ready: true, serving: false, terminating: false });
  });

  it('resolves a named targetPort per pod and splits slices by resolved ports; pods lacking the name get no port', () => {
    const { put, slices } = setup();
    put(makeService('web', { selector: { app: 'web' }, ports: [{ port: 80, targetPort: 'http' }] }));
    put(web('a', '10.244.1.2'));
    put(makePod('b', { labels: { app: 'web' }, ip: '10.244.1.3', ports: [{ name: 'http', containerPort: 9090 }] }));
    put(makePod('c', { labels: { app: 'web' }, ip: '10.244.1.4', ports: [{ name: 'http', containerPort: 9090, protocol: 'UDP' }] }));
    const byPort = Object.fromEntries(slices('web').map((s) => [JSON.stringify(s.ports), s.endpoints.map((e) => e.targetRef!.name)]));
    expect(byPort).toEqual({
      '[{"name":"","port":8080,"protocol":"TCP"}]': ['a'],
      '[{"name":"","port":9090,"protocol":"TCP"}]': ['b'],
      '[]': ['c'],
    });
  });

  it('uses a numeric targetPort as is, even when no container declares it', () => {
    const { put, slices } = setup();
    put(makeService('web', { selector: { app: 'web' }, ports: [{ port: 80, targetPort: 9376 }] }));
    put(makePod('a', { labels: { app: 'web' }, ip: '10.244.1.2' }));
    expect(slices('web')[0]!.ports).toEqual([{ name: '', port: 9376, protocol: 'TCP' }]);
  });

  it('sets hostname only when hostname is set and subdomain equals the Service name', () => {
    const { put, eps } = setup();
    put(makeService('nginx', { selector: { app: 'web' }, clusterIP: 'None', ports: [{ port: 80, name: 'web' }] }));
    put(web('web-0', '10.244.1.2', { hostname: 'web-0', subdomain: 'nginx' }));
    put(web('web-1', '10.244.1.3', { hostname: 'web-1', subdomain: 'other' }));
    put(web('x', '10.244.1.4'));
    const hn = Object.fromEntries(eps('nginx').map((e) => [e.targetRef!.name, e.hostname]));
    expect(hn).toEqual({ 'web-0': 'web-0', 'web-1': undefined, x: undefined });
  });

  it('keeps a placeholder slice when nothing matches, and follows label changes', () => {
    const { put, slices, ctx } = setup();
    put(makeService('web', { selector: { app: 'web' }, ports: [{ port: 80 }] }));
    expect(slices('web')).toHaveLength(1);
    expect(slices('web')[0]!.endpoints).toEqual([]);
    const p = web('a', '10.244.1.2');
    put(p);
    const name = slices('web')[0]!.metadata.name;
    expect(slices('web')[0]!.endpoints).toHaveLength(1);
    put({ ...structuredClone(p), metadata: { ...p.metadata, labels: { app: 'other' } } });
    expect(slices('web')).toHaveLength(1);
    expect(slices('web')[0]!.metadata.name).toBe(name);
    expect(slices('web')[0]!.endpoints).toEqual([]);
    ctx.store.remove('Service', 'default', 'web');
    ctx.controllers.settle();
    expect(slices('web')).toEqual([]);
  });

  it('holds at most 100 endpoints per slice and keeps endpoints where they are', () => {
    const { put, slices, ctx } = setup();
    put(makeService('big', { selector: { app: 'web' }, ports: [{ port: 80 }] }));
    for (let i = 0; i < 250; i++) ctx.store.put(web(`p${i}`, `10.244.${1 + Math.floor(i / 200)}.${(i % 200) + 2}`));
    ctx.controllers.settle();
    const sizes = slices('big').map((s) => s.endpoints.length).sort((a, b) => a - b);
    expect(sizes).toEqual([50, 100, 100]);
    const before = new Map(slices('big').flatMap((s) => s.endpoints.map((e) => [e.targetRef!.name, s.metadata.name] as const)));
    put(web('p999', '10.244.3.9'));
    const after = new Map(slices('big').flatMap((s) => s.endpoints.map((e) => [e.targetRef!.name, s.metadata.name] as const)));
    for (const [pod, slice] of before) expect(after.get(pod)).toBe(slice);
    expect(slices('big').map((s) => s.endpoints.length).reduce((a, b) => a + b)).toBe(251);
  });

  it('maintains the legacy Endpoints object (terminating pods out, not-ready in notReadyAddresses)', () => {
    const { put, ctx } = setup();
    put(makeService('web', { selector: { app: 'web' }, ports: [{ port: 80, name: 'http', targetPort: 'http' }] }));
    put(web('a', '10.244.1.10'));
    put(web('b', '10.244.1.9', { ready: false }));
    put(web('c', '10.244.1.8', { terminating: true }));
    const ep = ctx.store.get('Endpoints', 'default', 'web') as EndpointsObject;
    expect(ep.subsets).toEqual([
      {
        addresses: [{ ip: '10.244.1.10', nodeName: 'kind-worker', targetRef: { kind: 'Pod', namespace: 'default', name: 'a', uid: 'uid-pod-a' } }],
        notReadyAddresses: [{ ip: '10.244.1.9', nodeName: 'kind-worker', targetRef: { kind: 'Pod', namespace: 'default', name: 'b', uid: 'uid-pod-b' } }],
        ports: [{ name: 'http', port: 8080, protocol: 'TCP' }],
      },
    ]);
  });

  it('mirrors user-written Endpoints of a selector-less Service into a slice, and drops it with them', () => {
    const { put, slices, ctx } = setup();
    put(makeService('ext', { ports: [{ port: 3306, targetPort: 3306 }] }));
    put({ apiVersion: 'v1', kind: 'Endpoints', metadata: { name: 'ext', namespace: 'default' }, subsets: [{ addresses: [{ ip: '192.0.2.10' }], ports: [{ port: 3306 }] }] });
    const s = slices('ext');
    expect(s).toHaveLength(1);
    expect(s[0]!.metadata.labels?.['endpointslice.kubernetes.io/managed-by']).toBe('endpointslicemirroring-controller.k8s.io');
    expect(s[0]!.endpoints[0]).toMatchObject({ addresses: ['192.0.2.10'], conditions: { ready: true } });
    expect(s[0]!.ports).toEqual([{ name: '', port: 3306, protocol: 'TCP' }]);
    ctx.store.remove('Endpoints', 'default', 'ext');
    ctx.controllers.settle();
    expect(slices('ext')).toEqual([]);
  });

  it('leaves user-made slices of a selector-less Service alone', () => {
    const { put, slices } = setup();
    put(makeService('manual', { ports: [{ port: 80 }] }));
    const mine: EndpointSlice = {
      apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', addressType: 'IPv4',
      metadata: { name: 'manual-1', namespace: 'default', labels: { 'kubernetes.io/service-name': 'manual' } },
      endpoints: [{ addresses: ['10.1.2.3'], conditions: {} }], ports: [{ port: 80, protocol: 'TCP', name: '' }],
    };
    put(mine);
    expect(slices('manual').map((s) => s.metadata.name)).toEqual(['manual-1']);
  });

  it('does not requeue on pod changes that cannot alter endpoints', () => {
    const { ctx, put } = setup();
    put(makeService('web', { selector: { app: 'web' }, ports: [{ port: 80 }] }));
    const p: Pod = web('a', '10.244.1.2');
    put(p);
    const rv = JSON.stringify(ctx.store.list('EndpointSlice').map((s) => s.metadata.resourceVersion));
    put({ ...structuredClone(p), metadata: { ...p.metadata, annotations: { x: 'y' } } });
    expect(JSON.stringify(ctx.store.list('EndpointSlice').map((s) => s.metadata.resourceVersion))).toBe(rv);
  });
});
