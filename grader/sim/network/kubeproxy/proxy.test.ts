import { describe, expect, it } from 'vitest';
import { ObjectStore } from '../../api/store.ts';
import { VirtualClock } from '../../../util/clock.ts';
import { Rng } from '../../../util/rng.ts';
import { StoreNetworkState } from '../state.ts';
import { kindNodes, makeService, makeSlice } from '../testkit.ts';
import { KubeProxy, type ProxyRequest } from './proxy.ts';
import { IptablesBalancer } from './iptables.ts';
import { IpvsBalancer } from './ipvs.ts';

function setup(mode: 'iptables' | 'ipvs' = 'iptables') {
  const store = new ObjectStore();
  for (const n of kindNodes()) store.put(n);
  const state = new StoreNetworkState(store);
  const clock = new VirtualClock();
  const b = mode === 'iptables' ? new IptablesBalancer(clock, new Rng(1)) : new IpvsBalancer(clock, new Rng(1));
  return { store, clock, proxy: new KubeProxy(state, b) };
}

const fromPod = (dstIP: string, dstPort: number, node = 'kind-worker'): ProxyRequest => ({ dstIP, dstPort, clientIP: '10.244.1.250', node, fromPod: true });
const fromOutside = (dstIP: string, dstPort: number, node: string): ProxyRequest => ({ dstIP, dstPort, clientIP: '172.18.0.1', node, fromPod: false });

const three = [
  { ip: '10.244.1.5', node: 'kind-worker', pod: 'a' },
  { ip: '10.244.2.5', node: 'kind-worker2', pod: 'b' },
  { ip: '10.244.2.6', node: 'kind-worker2', pod: 'c' },
];

describe('kube-proxy Service handling', () => {
  it('ClusterIP:port goes to a ready endpoint of that port, on the target port', () => {
    const { store, proxy } = setup();
    store.put(makeService('web', { clusterIP: '10.96.0.50', ports: [{ port: 80, name: 'http', targetPort: 8080 }, { port: 443, name: 'https', targetPort: 8443 }] }));
    store.put(makeSlice('web', three, [{ name: 'http', port: 8080 }, { name: 'https', port: 8443 }]));
    const seen = new Set<string>();
    for (let i = 0; i < 40; i++) {
      const d = proxy.route(fromPod('10.96.0.50', 443));
      expect(d.kind).toBe('forward');
      if (d.kind === 'forward') {
        expect(d.endpoint.port).toBe(8443);
        seen.add(d.endpoint.ip);
      }
    }
    expect([...seen].sort()).toEqual(['10.244.1.5', '10.244.2.5', '10.244.2.6']);
  });

  it('not-ready endpoints are skipped; zero ready endpoints → refused at once', () => {
    const { store, proxy } = setup();
    store.put(makeService('web', { clusterIP: '10.96.0.50', ports: [{ port: 80 }] }));
    store.put(makeSlice('web', [{ ip: '10.244.1.5', ready: false, serving: false }, { ip: '10.244.1.6' }], [{ port: 80 }]));
    for (let i = 0; i < 10; i++) {
      const d = proxy.route(fromPod('10.96.0.50', 80));
      expect(d.kind === 'forward' && d.endpoint.ip).toBe('10.244.1.6');
    }
    store.put(makeSlice('web', [{ ip: '10.244.1.5', ready: false, serving: false }], [{ port: 80 }]));
    const d = proxy.route(fromPod('10.96.0.50', 80));
    expect(d.kind).toBe('refused');
    expect(d.kind === 'refused' && d.trace.at(-1)!.detail).toMatch(/connection refused/);
  });

  it('falls back to serving terminating endpoints when none is ready', () => {
    const { store, proxy } = setup();
    store.put(makeService('web', { clusterIP: '10.96.0.50', ports: [{ port: 80 }] }));
    store.put(makeSlice('web', [{ ip: '10.244.1.5', ready: false, serving: true, terminating: true }, { ip: '10.244.1.6', ready: false, serving: false, terminating: true }], [{ port: 80 }]));
    const d = proxy.route(fromPod('10.96.0.50', 80));
    expect(d.kind === 'forward' && d.endpoint.ip).toBe('10.244.1.5');
  });

  it('a port the Service does not have: no rule, the connection times out', () => {
    const { store, proxy } = setup();
    store.put(makeService('web', { clusterIP: '10.96.0.50', ports: [{ port: 80 }] }));
    store.put(makeSlice('web', three, [{ port: 80 }]));
    expect(proxy.route(fromPod('10.96.0.50', 8080)).kind).toBe('dropped');
    expect(proxy.route(fromPod('10.96.0.99', 80)).kind).toBe('none');
  });

  it('NodePort answers on every node, even one without a backend (Cluster policy)', () => {
    const { store, proxy } = setup();
    store.put(makeService('web', { type: 'NodePort', clusterIP: '10.96.0.50', ports: [{ port: 80, nodePort: 30080 }] }));
    store.put(makeSlice('web', [three[1]!], [{ port: 80 }]));
    for (const [ip, node] of [['172.18.0.2', 'kind-control-plane'], ['172.18.0.3', 'kind-worker'], ['172.18.0.5', 'kind-worker3']] as const) {
      const d = proxy.route(fromOutside(ip, 30080, node));
      expect(d.kind === 'forward' && d.endpoint.ip).toBe('10.244.2.5');
    }
  });

  it('externalTrafficPolicy Local: only nodes with a local ready endpoint answer, others drop', () => {
    const { store, proxy } = setup();
    store.put(makeService('web', { type: 'NodePort', externalTrafficPolicy: 'Local', clusterIP: '10.96.0.50', ports: [{ port: 80, nodePort: 30080 }] }));
    store.put(makeSlice('web', three, [{ port: 80 }]));
    for (let i = 0; i < 10; i++) {
      const d = proxy.route(fromOutside('172.18.0.4', 30080, 'kind-worker2'));
      expect(d.kind === 'forward' && d.endpoint.nodeName).toBe('kind-worker2');
    }
    const d = proxy.route(fromOutside('172.18.0.5', 30080, 'kind-worker3'));
    expect(d.kind).toBe('dropped');
    expect(d.kind === 'dropped' && d.trace.at(-1)!.detail).toMatch(/externalTrafficPolicy: Local and node kind-worker3 has no ready endpoint/);
    // pods are short-circuited to Cluster policy
    expect(proxy.route({ ...fromPod('172.18.0.5', 30080, 'kind-worker3') }).kind).toBe('forward');
  });

  it('Local policy prefers local terminating-but-serving endpoints over dropping', () => {
    const { store, proxy } = setup();
    store.put(makeService('web', { type: 'NodePort', externalTrafficPolicy: 'Local', clusterIP: '10.96.0.50', ports: [{ port: 80, nodePort: 30080 }] }));
    store.put(makeSlice('web', [{ ip: '10.244.3.5', node: 'kind-worker3', ready: false, serving: true, terminating: true }, three[0]!], [{ port: 80 }]));
    const d = proxy.route(fromOutside('172.18.0.5', 30080, 'kind-worker3'));
    expect(d.kind === 'forward' && d.endpoint.ip).toBe('10.244.3.5');
  });

  it('internalTrafficPolicy Local: only endpoints on the client node; none there → dropped', () => {
    const { store, proxy } = setup();
    store.put(makeService('web', { clusterIP: '10.96.0.50', internalTrafficPolicy: 'Local', ports: [{ port: 80 }] }));
    store.put(makeSlice('web', three, [{ port: 80 }]));
    for (let i = 0; i < 10; i++) {
      const d = proxy.route(fromPod('10.96.0.50', 80, 'kind-worker'));
      expect(d.kind === 'forward' && d.endpoint.ip).toBe('10.244.1.5');
    }
    expect(proxy.route(fromPod('10.96.0.50', 80, 'kind-worker3')).kind).toBe('dropped');
  });

  it('LoadBalancer IP and externalIPs route like the Service port', () => {
    const { store, proxy } = setup();
    const svc = makeService('web', { type: 'LoadBalancer', clusterIP: '10.96.0.50', externalIPs: ['198.51.100.7'], ports: [{ port: 80, nodePort: 30080 }] });
    svc.status = { loadBalancer: { ingress: [{ ip: '172.18.255.200' }] } };
    store.put(svc);
    store.put(makeSlice('web', three, [{ port: 80 }]));
    expect(proxy.route(fromOutside('172.18.255.200', 80, 'kind-worker')).kind).toBe('forward');
    expect(proxy.route(fromPod('198.51.100.7', 80)).kind).toBe('forward');
    expect(proxy.route(fromOutside('172.18.255.200', 81, 'kind-worker')).kind).toBe('dropped');
  });

  it('headless and ExternalName Services are not proxied', () => {
    const { store, proxy } = setup();
    store.put(makeService('h', { clusterIP: 'None', ports: [{ port: 80 }] }));
    store.put(makeService('x', { type: 'ExternalName', externalName: 'example.com' }));
    expect(proxy.route(fromPod('None', 80)).kind).toBe('none');
  });

  it('ClientIP affinity keeps one client on one endpoint', () => {
    const { store, proxy } = setup();
    store.put(makeService('web', { clusterIP: '10.96.0.50', sessionAffinity: 'ClientIP', ports: [{ port: 80 }] }));
    store.put(makeSlice('web', three, [{ port: 80 }]));
    const first = proxy.route(fromPod('10.96.0.50', 80));
    for (let i = 0; i < 20; i++) {
      const d = proxy.route(fromPod('10.96.0.50', 80));
      expect(d.kind === 'forward' && d.endpoint.ip).toBe(first.kind === 'forward' && first.endpoint.ip);
    }
  });

  it('ipvs mode spreads strictly in turn', () => {
    const { store, proxy } = setup('ipvs');
    store.put(makeService('web', { clusterIP: '10.96.0.50', ports: [{ port: 80 }] }));
    store.put(makeSlice('web', three, [{ port: 80 }]));
    const ips = Array.from({ length: 6 }, () => { const d = proxy.route(fromPod('10.96.0.50', 80)); return d.kind === 'forward' ? d.endpoint.ip : ''; });
    expect(ips).toEqual(['10.244.1.5', '10.244.2.5', '10.244.2.6', '10.244.1.5', '10.244.2.5', '10.244.2.6']);
  });
});
