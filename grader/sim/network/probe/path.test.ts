/**
 * After kube-proxy (or ingress-nginx) picks an endpoint, the address is routed like any other
 * destination: a hand-written EndpointSlice or Endpoints may name a host outside the cluster
 * or a node, not only a pod.
 */
import { describe, expect, it } from 'vitest';
import { SimCluster } from '../../cluster.ts';
import type { KubeObject, Node } from '../../api/types.ts';
import { EXAMPLE_DOMAIN_IP } from '../dns/internet.ts';

const doc = (object: KubeObject) => ({ object, file: 'test.yaml', line: 1 });
const fromPod = { kind: 'pod' as const, namespace: 'default' };

const selectorless = (name: string, port = 80, extra: Record<string, unknown> = {}): KubeObject => ({
  apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: 'default' }, spec: { ports: [{ port, targetPort: port }], ...extra },
});
const slice = (service: string, ip: string, port: number): KubeObject => ({
  apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice',
  metadata: { name: `${service}-1`, namespace: 'default', labels: { 'kubernetes.io/service-name': service } },
  addressType: 'IPv4', endpoints: [{ addresses: [ip] }], ports: [{ name: '', port, protocol: 'TCP' }],
});
const endpoints = (service: string, ip: string, port: number): KubeObject => ({
  apiVersion: 'v1', kind: 'Endpoints', metadata: { name: service, namespace: 'default' },
  subsets: [{ addresses: [{ ip }], ports: [{ port, protocol: 'TCP' }] }],
});

function cluster(objects: KubeObject[]): SimCluster {
  const c = new SimCluster({ seed: 5 });
  expect(c.apply(objects.map(doc)).failed).toEqual([]);
  expect(c.waitForRollout(300).complete).toBe(true);
  return c;
}

const nodeIP = (n: Node) => n.status!.addresses!.find((a) => a.type === 'InternalIP')!.address;

describe('routing the endpoint kube-proxy picked', () => {
  it('an EndpointSlice naming the outside host: the Service answers with that host', () => {
    const c = cluster([selectorless('outside'), slice('outside', EXAMPLE_DOMAIN_IP, 80)]);
    const r = c.net.http({ from: fromPod, url: 'http://outside/' });
    expect(r).toMatchObject({ ok: true, status: 200 });
    if (r.ok) expect(r.body).toContain('Example Domain');
    expect(r.trace.map((h) => h.detail).join('\n')).toContain(`endpoint ${EXAMPLE_DOMAIN_IP}:80 is outside the cluster`);
    expect(c.net.tcp({ from: fromPod, host: 'outside', port: 80 }).result).toBe('connected');
  });

  it('legacy Endpoints (mirrored into a slice) to the outside host work the same', () => {
    const c = cluster([selectorless('legacy', 443), endpoints('legacy', EXAMPLE_DOMAIN_IP, 443)]);
    expect(c.net.tcp({ from: fromPod, host: 'legacy', port: 443 }).result).toBe('connected');
  });

  it('an Ingress whose Service points outside the cluster gets the outside host\'s answer', () => {
    const c = cluster([
      selectorless('outside'), slice('outside', EXAMPLE_DOMAIN_IP, 80),
      {
        apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name: 'out', namespace: 'default' },
        spec: { ingressClassName: 'nginx', rules: [{ host: 'out.local', http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'outside', port: { number: 80 } } } }] } }] },
      },
    ]);
    const r = c.net.http({ from: { kind: 'external' }, url: 'http://out.local/', connectTo: '127.0.0.1' });
    expect(r).toMatchObject({ ok: true, status: 200 });
    if (r.ok) expect(r.body).toContain('Example Domain');
  });

  it('an endpoint at a node IP reaches a hostNetwork process there, or a NodePort', () => {
    const labels = { app: 'hn' };
    const base = cluster([]);
    const worker = (base.ctx.store.list('Node') as Node[]).find((n) => !n.metadata.name.includes('control-plane'))!;
    const c = cluster([
      {
        apiVersion: 'v1', kind: 'Pod', metadata: { name: 'hn', namespace: 'default', labels },
        spec: { hostNetwork: true, nodeName: worker.metadata.name, containers: [{ name: 'echo', image: 'hashicorp/http-echo', args: ['-listen=:5678', '-text=on the node'] }] },
      },
      selectorless('node-direct', 5678), slice('node-direct', nodeIP(worker), 5678),
      { apiVersion: 'v1', kind: 'Service', metadata: { name: 'np', namespace: 'default' }, spec: { type: 'NodePort', selector: labels, ports: [{ port: 80, targetPort: 5678, nodePort: 30090 }] } },
      selectorless('via-nodeport', 80), slice('via-nodeport', nodeIP(worker), 30090),
    ]);
    const direct = c.net.http({ from: fromPod, url: 'http://node-direct:5678/' });
    expect(direct).toMatchObject({ ok: true, status: 200, body: 'on the node\n' });
    const np = c.net.http({ from: fromPod, url: 'http://via-nodeport/' });
    expect(np).toMatchObject({ ok: true, status: 200, body: 'on the node\n' });
  });

  it('an unknown address: inside the pod network no route to host, outside it a timeout', () => {
    const c = cluster([selectorless('ghost'), slice('ghost', '10.244.9.9', 80), selectorless('nowhere'), slice('nowhere', '203.0.113.7', 80)]);
    expect(c.net.http({ from: fromPod, url: 'http://ghost/' })).toMatchObject({ ok: false, error: 'no route to host' });
    expect(c.net.http({ from: fromPod, url: 'http://nowhere/' })).toMatchObject({ ok: false, error: 'timed out' });
  });
});
