/**
 * ExternalName Services behind ingress-nginx, end to end: the controller proxies to the name
 * (resolved from its own pod, so a cluster name goes through the ClusterIP and kube-proxy, an
 * outside name leaves the cluster), on the Service port's targetPort or the backend's port,
 * and answers 503 when the name does not resolve or is a loopback name.
 */
import { describe, expect, it } from 'vitest';
import { SimCluster } from '../../cluster.ts';
import type { KubeObject } from '../../api/types.ts';

const doc = (object: KubeObject) => ({ object, file: 'test.yaml', line: 1 });
const labels = { app: 'web' };
const external = (name: string, externalName: string, ports?: { port: number; targetPort?: number }[]): KubeObject => ({
  apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: 'default' },
  spec: { type: 'ExternalName', externalName, ...(ports ? { ports } : {}) },
});
const ingress = (host: string, service: string, port = 80): KubeObject => ({
  apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name: host.split('.')[0]!, namespace: 'default' },
  spec: { ingressClassName: 'nginx', rules: [{ host, http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: service, port: { number: port } } } }] } }] },
});

function cluster(): SimCluster {
  const c = new SimCluster({ seed: 4 });
  const objects: KubeObject[] = [
    {
      apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'default' },
      spec: { replicas: 2, selector: { matchLabels: labels }, template: { metadata: { labels }, spec: { containers: [{ name: 'web', image: 'traefik/whoami', ports: [{ containerPort: 80 }] }] } } },
    },
    { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'default' }, spec: { selector: labels, ports: [{ port: 8080, targetPort: 80 }] } },
    external('alias', 'web.default.svc.cluster.local', [{ port: 80, targetPort: 8080 }]), ingress('alias.example.com', 'alias'),
    external('outside', 'www.example.com'), ingress('outside.example.com', 'outside'),
    external('nowhere', 'nowhere.invalid'), ingress('nowhere.example.com', 'nowhere'),
    external('loop', 'localhost'), ingress('loop.example.com', 'loop'),
  ];
  expect(c.apply(objects.map(doc)).failed).toEqual([]);
  expect(c.waitForRollout(300).complete).toBe(true);
  return c;
}

describe('ExternalName Services as ingress-nginx backends', () => {
  const c = cluster();
  const get = (host: string) => c.net.http({ from: { kind: 'external' }, url: `http://${host}/`, connectTo: '127.0.0.1' });

  it('a cluster name: resolved from the controller pod, then through the ClusterIP to a pod', () => {
    const r = get('alias.example.com');
    expect(r.ok && r.status).toBe(200);
    if (!r.ok) return;
    expect(r.servedBy?.pod).toMatch(/^web-/);
    const trace = r.trace.map((h) => h.detail).join('\n');
    expect(trace).toContain('is ExternalName, so the upstream is web.default.svc.cluster.local:8080');
    expect(trace).toMatch(/web\.default\.svc\.cluster\.local resolves to 10\.96\.\d+\.\d+; nginx connects to 10\.96\.\d+\.\d+:8080/);
    expect(trace).toContain('ClusterIP of Service default/web');
  });

  it('an outside name without Service ports: the backend port, out of the cluster', () => {
    const r = get('outside.example.com');
    expect(r.ok && r.status).toBe(200);
    if (!r.ok) return;
    expect(r.servedBy).toBeUndefined();
    const trace = r.trace.map((h) => h.detail).join('\n');
    expect(trace).toContain('the upstream is www.example.com:80');
    expect(trace).toContain('the upstream 93.184.215.14:80 is the simulator\'s stand-in host outside the cluster');
  });

  it('a name that does not resolve, and a loopback name, answer 503', () => {
    const none = get('nowhere.example.com');
    expect(none.ok && none.status).toBe(503);
    if (none.ok) expect(none.trace.at(-1)?.detail).toContain('nowhere.invalid does not resolve');
    const loop = get('loop.example.com');
    expect(loop.ok && loop.status).toBe(503);
    if (loop.ok) expect(loop.trace.map((h) => h.detail).join('\n')).toContain('a loopback name ingress-nginx refuses to proxy to');
  });
});
