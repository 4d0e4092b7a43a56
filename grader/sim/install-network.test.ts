/**
 * End to end through the whole simulated cluster (apiserver, scheduler, kubelet, controllers):
 * the networking paths students meet, as the probes report them.
 */
import { describe, expect, it } from 'vitest';
import { SimCluster } from './cluster.ts';
import type { KubeObject, Pod, Service } from './api/types.ts';
import { logsOf } from './kubelet/api.ts';
import { generateSelfSigned } from './network/tls/generate.ts';

const doc = (object: KubeObject) => ({ object, file: 'test.yaml', line: 1 });

function deployment(name: string, replicas: number, image = 'traefik/whoami', labels: Record<string, string> = { app: name }, ports = [{ name: 'http', containerPort: 80 }]): KubeObject {
  return {
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name, namespace: 'default' },
    spec: { replicas, selector: { matchLabels: labels }, template: { metadata: { labels }, spec: { containers: [{ name: 'app', image, ports }] } } },
  };
}
function service(name: string, spec: Record<string, unknown>): KubeObject {
  return { apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: 'default' }, spec };
}

function cluster(objects: KubeObject[], opts: ConstructorParameters<typeof SimCluster>[0] = {}) {
  const c = new SimCluster({ seed: 7, ...opts });
  const r = c.apply(objects.map(doc));
  expect(r.failed).toEqual([]);
  expect(c.waitForRollout(300).complete).toBe(true);
  return c;
}

const fromPod = { kind: 'pod' as const, namespace: 'default' };

describe('network end to end', () => {
  it('installs cleanly: CoreDNS, kube-proxy, ingress-nginx, system slices', () => {
    const c = new SimCluster({ seed: 1 });
    expect(c.net.installProblems).toEqual([]);
    const dns = c.ctx.store.get('Service', 'kube-system', 'kube-dns') as Service;
    expect(dns.spec.clusterIP).toBe('10.96.0.10');
    const r = c.net.dns({ from: fromPod, name: 'kube-dns.kube-system', type: 'A' });
    expect(r.answers.map((a) => a.data)).toEqual(['10.96.0.10']);
    expect(c.ctx.store.get('IngressClass', undefined, 'nginx')?.spec.controller).toBe('k8s.io/ingress-nginx');
  });

  it('ClusterIP: name resolves from the namespace, traffic spreads over every ready pod, servedBy names the pod', () => {
    const c = cluster([deployment('web', 3), service('web', { selector: { app: 'web' }, ports: [{ port: 80, targetPort: 'http' }] })]);
    const pods = c.ctx.store.list('Pod', 'default').map((p) => p.metadata.name).sort();
    const seen = new Set<string>();
    for (let i = 0; i < 60; i++) {
      const r = c.net.http({ from: fromPod, url: 'http://web/' });
      expect(r.ok).toBe(true);
      if (r.ok) {
        expect(r.status).toBe(200);
        expect(r.body).toContain(`Hostname: ${r.servedBy!.pod}`);
        seen.add(r.servedBy!.pod);
      }
    }
    expect([...seen].sort()).toEqual(pods);
    const r = c.net.http({ from: fromPod, url: 'http://web/' });
    expect(r.trace.map((h) => h.detail).join('\n')).toMatch(/kube-proxy \(iptables\): picked 10\.244\.\d+\.\d+:80 at random among 3 ready endpoints/);
    expect(c.net.http({ from: { kind: 'pod', namespace: 'other' }, url: 'http://web/' })).toMatchObject({ ok: false, error: 'could not resolve host' });
    expect(c.net.http({ from: { kind: 'pod', namespace: 'other' }, url: 'http://web.default/' }).ok).toBe(true);
    expect(c.ctx.store.get('Endpoints', 'default', 'web')).toBeDefined();
  });

  it('a Service selecting nothing: DNS answers, connecting is refused at once; its pods from a selector origin work', () => {
    const c = cluster([deployment('web', 1), service('nobody', { selector: { app: 'nope' }, ports: [{ port: 80 }] })]);
    expect(c.net.dns({ from: fromPod, name: 'nobody', type: 'A' }).rcode).toBe('NOERROR');
    expect(c.net.http({ from: fromPod, url: 'http://nobody/' })).toMatchObject({ ok: false, error: 'connection refused' });
    expect(c.net.tcp({ from: { kind: 'pod', namespace: 'default', selector: { app: 'web' } }, host: 'nobody', port: 80 }).result).toBe('refused');
  });

  it('NodePort answers on every node from outside; externalTrafficPolicy Local only where a pod runs', () => {
    const c = cluster([
      deployment('web', 1),
      service('np', { type: 'NodePort', selector: { app: 'web' }, ports: [{ port: 80, nodePort: 30080 }] }),
      service('local', { type: 'NodePort', externalTrafficPolicy: 'Local', selector: { app: 'web' }, ports: [{ port: 80, nodePort: 30081 }] }),
    ]);
    const podNode = c.ctx.store.list('Pod', 'default')[0]!.spec.nodeName;
    for (const n of c.ctx.store.list('Node')) {
      const ip = n.status.addresses.find((a: { type: string }) => a.type === 'InternalIP').address;
      expect(c.net.http({ from: { kind: 'external' }, url: `http://${ip}:30080/` }).ok).toBe(true);
      const local = c.net.http({ from: { kind: 'external' }, url: `http://${ip}:30081/` });
      if (n.metadata.name === podNode) expect(local.ok).toBe(true);
      else expect(local).toMatchObject({ ok: false, error: 'timed out' });
    }
  });

  it('LoadBalancer gets an address from the pool and answers from outside; without a pool it stays pending', () => {
    const c = cluster([deployment('web', 2), service('lb', { type: 'LoadBalancer', selector: { app: 'web' }, ports: [{ port: 80 }] })]);
    const ip = (c.ctx.store.get('Service', 'default', 'lb') as Service).status?.loadBalancer?.ingress?.[0]?.ip;
    expect(ip).toBe('172.18.255.200');
    const r = c.net.http({ from: { kind: 'external' }, url: `http://${ip}/` });
    expect(r.ok).toBe(true);
    expect(r.trace.some((h) => h.component === 'loadbalancer' && /answers ARP/.test(h.detail))).toBe(true);
    const bare = cluster([service('lb', { type: 'LoadBalancer', selector: { app: 'web' }, ports: [{ port: 80 }] })], { loadBalancerPool: null });
    expect((bare.ctx.store.get('Service', 'default', 'lb') as Service).status?.loadBalancer?.ingress).toBeUndefined();
  });

  it('StatefulSet behind a headless Service: per-pod names, one A per ready pod, SRV per pod', () => {
    const c = cluster([
      service('nginx', { clusterIP: 'None', selector: { app: 'nginx' }, ports: [{ port: 80, name: 'web' }] }),
      {
        apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 'web', namespace: 'default' },
        spec: { serviceName: 'nginx', replicas: 2, selector: { matchLabels: { app: 'nginx' } }, template: { metadata: { labels: { app: 'nginx' } }, spec: { containers: [{ name: 'nginx', image: 'nginx:1.25', ports: [{ containerPort: 80, name: 'web' }] }] } } },
      },
    ]);
    const ip0 = c.ctx.store.get('Pod', 'default', 'web-0')!.status.podIP;
    expect(c.net.dns({ from: fromPod, name: 'web-0.nginx', type: 'A' }).answers.map((a) => a.data)).toEqual([ip0]);
    expect(c.net.dns({ from: fromPod, name: 'nginx', type: 'A' }).answers).toHaveLength(2);
    expect(c.net.dns({ from: fromPod, name: '_web._tcp.nginx.default.svc.cluster.local', type: 'SRV' }).answers.map((a) => a.data).sort())
      .toEqual(['0 50 80 web-0.nginx.default.svc.cluster.local.', '0 50 80 web-1.nginx.default.svc.cluster.local.']);
    expect(c.net.http({ from: fromPod, url: 'http://web-1.nginx/' }).ok).toBe(true);
  });

  it('Ingress: ADDRESS localhost, routing by host via localhost:80, 404 elsewhere, HTTPS with the Secret or the fake certificate', () => {
    const pair = generateSelfSigned({ hosts: ['shop.example.com'], notBefore: new Date(Date.UTC(2023, 11, 1)) });
    const c = cluster([
      deployment('web', 2),
      service('web', { selector: { app: 'web' }, ports: [{ port: 80, targetPort: 'http' }] }),
      { apiVersion: 'v1', kind: 'Secret', type: 'kubernetes.io/tls', metadata: { name: 'shop-tls', namespace: 'default' }, data: { 'tls.crt': Buffer.from(pair.cert).toString('base64'), 'tls.key': Buffer.from(pair.key).toString('base64') } },
      {
        apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name: 'shop', namespace: 'default' },
        spec: { ingressClassName: 'nginx', tls: [{ hosts: ['shop.example.com'], secretName: 'shop-tls' }], rules: [{ host: 'shop.example.com', http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'web', port: { number: 80 } } } }] } }] },
      },
    ]);
    c.settle();
    expect(c.ctx.store.get('Ingress', 'default', 'shop')!.status?.loadBalancer?.ingress).toEqual([{ hostname: 'localhost' }]);
    const http = c.net.http({ from: { kind: 'external' }, url: 'http://shop.example.com/', connectTo: 'localhost' });
    expect(http).toMatchObject({ ok: true, status: 308, headers: { location: 'https://shop.example.com/' } });
    const https = c.net.http({ from: { kind: 'external' }, url: 'https://shop.example.com/', connectTo: '127.0.0.1' });
    expect(https.ok).toBe(true);
    if (https.ok) {
      expect(https.status).toBe(200);
      expect(https.servedBy?.pod).toMatch(/^web-/);
      expect(https.certificate).toMatchObject({ fake: false, validForHost: true, subjectAltNames: ['shop.example.com'] });
    }
    const other = c.net.http({ from: { kind: 'external' }, url: 'https://other.example.com/', connectTo: '172.18.0.2' });
    expect(other.ok && [other.status, other.certificate?.fake, other.certificate?.validForHost]).toEqual([404, true, false]);
    const followed = c.net.http({ from: { kind: 'external' }, url: 'http://shop.example.com/', connectTo: 'localhost', followRedirects: true });
    expect(followed.ok && followed.status).toBe(200);
    // From inside, through the controller's Service.
    const inside = c.net.http({ from: fromPod, url: 'http://ingress-nginx-controller.ingress-nginx/', headers: { Host: 'shop.example.com' } });
    expect(inside.ok && inside.status).toBe(308);
  });

  it('a process reaches the network through the pod resolver (ProcessNetwork)', () => {
    const c = cluster([deployment('web', 1), service('web', { selector: { app: 'web' }, ports: [{ port: 80 }] })]);
    const r = c.net.tcp({ from: fromPod, host: 'web.default.svc.cluster.local', port: 80 });
    expect(r.result).toBe('connected');
    expect(c.net.tcp({ from: fromPod, host: 'nothing-here', port: 80 }).result).toBe('unresolved');
  });

  it('killing the node of the only pod: the ClusterIP times out before the endpoint is removed, then is refused', () => {
    const c = cluster([deployment('web', 1), service('web', { selector: { app: 'web' }, ports: [{ port: 80 }] })]);
    const node = c.ctx.store.list('Pod', 'default')[0]!.spec.nodeName;
    c.act({ type: 'killNode', node });
    const early = c.net.http({ from: fromPod, url: 'http://web/' });
    expect(early).toMatchObject({ ok: false, error: 'timed out' });
    c.advance(60);
    const later = c.net.http({ from: fromPod, url: 'http://web/' });
    expect(later).toMatchObject({ ok: false, error: 'connection refused' });
  });
});

describe('DNS needs CoreDNS running', () => {
  it('times out while the coredns Deployment has no ready pod, and answers again once it has', () => {
    const c = cluster([deployment('web', 1), service('web', { selector: { app: 'web' }, ports: [{ port: 80 }] })]);
    const ask = () => c.net.dns({ from: fromPod, name: 'web', type: 'A' });
    expect(ask().rcode).toBe('NOERROR');
    c.act({ type: 'scale', kind: 'Deployment', namespace: 'kube-system', name: 'coredns', replicas: 0 });
    c.advance(60);
    const down = ask();
    expect(down.rcode).toBe('SERVFAIL');
    expect(down.trace.map((h) => h.detail)).toContain('no servers could be reached');
    // An app resolving through the same resolver fails too: curl cannot resolve the host.
    const viaName = c.net.http({ from: fromPod, url: 'http://web/' });
    expect(viaName.ok).toBe(false);
    c.act({ type: 'scale', kind: 'Deployment', namespace: 'kube-system', name: 'coredns', replicas: 2 });
    expect(c.waitForRollout(120).complete).toBe(true);
    expect(ask().rcode).toBe('NOERROR');
  });
});

describe('kubectl apply of a kind the server does not serve', () => {
  it('reports it in kubectl\'s words, with the name, namespace and file', () => {
    const c = new SimCluster({ seed: 1 });
    const r = c.apply([{ object: { apiVersion: 'extensions/v1beta1', kind: 'Ingress', metadata: { name: 'web' }, spec: {} }, file: 'ingress.yaml', line: 1 }]);
    expect(r.failed).toHaveLength(1);
    expect(r.failed[0]!.message).toBe('resource mapping not found for name: "web" namespace: "" from "ingress.yaml": no matches for kind "Ingress" in version "extensions/v1beta1"\nensure CRDs are installed first');
  });
});

describe('one-shot curl and wget pods exit as the tools do', () => {
  const pod = (name: string, image: string, command: string[], restartPolicy = 'Never'): KubeObject => ({
    apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default' },
    spec: { restartPolicy, containers: [{ name: 'c', image, command }] },
  });
  const terminated = (c: SimCluster, name: string) => c.ctx.store.get('Pod', 'default', name)?.status?.containerStatuses?.[0]?.state?.terminated as { reason: string; exitCode: number } | undefined;
  const logs = (c: SimCluster, name: string) => logsOf(c.ctx, c.ctx.store.get('Pod', 'default', name) as Pod);

  it('0 when the server answers; the tool\'s error and exit code when it cannot connect', () => {
    const c = cluster([
      deployment('web', 2),
      service('web', { selector: { app: 'web' }, ports: [{ port: 80 }] }),
      service('empty', { selector: { app: 'nothing' }, ports: [{ port: 80 }] }),
    ]);
    c.apply([
      pod('curl-ok', 'curlimages/curl', ['curl', '-s', '-o', '/dev/null', 'http://web/']),
      pod('wget-ok', 'busybox', ['sh', '-c', 'wget -qO- web']),
      pod('curl-nxdomain', 'curlimages/curl', ['curl', '-sS', 'http://wbe/']),
      pod('curl-refused', 'curlimages/curl', ['curl', '-sS', 'http://empty/']),
      pod('wget-nxdomain', 'busybox', ['wget', '-qO-', 'http://wbe/']),
      pod('exit-3', 'busybox', ['sh', '-c', 'exit 3']),
    ].map(doc));
    c.advance(5);
    expect(terminated(c, 'curl-ok')).toMatchObject({ reason: 'Completed', exitCode: 0 });
    expect(terminated(c, 'wget-ok')).toMatchObject({ reason: 'Completed', exitCode: 0 });
    expect(terminated(c, 'curl-nxdomain')).toMatchObject({ reason: 'Error', exitCode: 6 });
    expect(logs(c, 'curl-nxdomain')).toEqual(['curl: (6) Could not resolve host: wbe']);
    expect(terminated(c, 'curl-refused')).toMatchObject({ reason: 'Error', exitCode: 7 });
    expect(logs(c, 'curl-refused')[0]).toMatch(/^curl: \(7\) Failed to connect to empty port 80/);
    expect(terminated(c, 'wget-nxdomain')).toMatchObject({ reason: 'Error', exitCode: 1 });
    expect(logs(c, 'wget-nxdomain')).toEqual(["wget: bad address 'wbe'"]);
    // `exit 3` prints nothing and exits 3.
    expect(terminated(c, 'exit-3')).toMatchObject({ reason: 'Error', exitCode: 3 });
    expect(logs(c, 'exit-3')).toEqual([]);
  });

  it('an HTTP error status fails busybox wget and curl -f, as the tools do, but not plain curl', () => {
    const c = cluster([
      deployment('site', 1, 'nginx'),
      service('site', { selector: { app: 'site' }, ports: [{ port: 80 }] }),
    ]);
    c.apply([
      pod('curl-404', 'curlimages/curl', ['curl', '-sS', 'http://site/missing']),
      pod('curl-f-404', 'curlimages/curl', ['curl', '-fsS', 'http://site/missing']),
      pod('curl-fail-200', 'curlimages/curl', ['curl', '--fail', '-s', 'http://site/']),
      pod('wget-404', 'busybox', ['sh', '-c', 'wget -qO- http://site/missing']),
      pod('wget-200', 'busybox', ['wget', '-qO-', 'site']),
    ].map(doc));
    c.advance(5);
    expect(terminated(c, 'curl-404')).toMatchObject({ reason: 'Completed', exitCode: 0 });
    expect(terminated(c, 'curl-f-404')).toMatchObject({ reason: 'Error', exitCode: 22 });
    expect(logs(c, 'curl-f-404')).toEqual(['curl: (22) The requested URL returned error: 404']);
    expect(terminated(c, 'curl-fail-200')).toMatchObject({ reason: 'Completed', exitCode: 0 });
    expect(terminated(c, 'wget-404')).toMatchObject({ reason: 'Error', exitCode: 1 });
    expect(logs(c, 'wget-404')).toEqual(['wget: server returned error: HTTP/1.1 404 Not Found']);
    expect(terminated(c, 'wget-200')).toMatchObject({ reason: 'Completed', exitCode: 0 });
  });

  it('curl verifies HTTPS certificates unless -k: none in the cluster is publicly signed; busybox wget does not verify', () => {
    const c = cluster([]);
    const url = 'https://ingress-nginx-controller.ingress-nginx/';
    c.apply([
      pod('curl-tls', 'curlimages/curl', ['curl', '-sS', url]),
      pod('curl-tls-k', 'curlimages/curl', ['curl', '-sk', url]),
      pod('curl-tls-fk', 'curlimages/curl', ['curl', '-fsSk', url]),
      pod('curl-public', 'curlimages/curl', ['curl', '-s', 'https://example.com/']),
      pod('wget-tls', 'busybox', ['wget', '-qO-', url]),
    ].map(doc));
    c.advance(5);
    // ingress-nginx answers for no host with its fake (self-signed) certificate and a 404.
    expect(terminated(c, 'curl-tls')).toMatchObject({ reason: 'Error', exitCode: 60 });
    expect(logs(c, 'curl-tls')).toEqual(['curl: (60) SSL certificate problem: self-signed certificate']);
    expect(terminated(c, 'curl-tls-k')).toMatchObject({ reason: 'Completed', exitCode: 0 });
    expect(terminated(c, 'curl-tls-fk')).toMatchObject({ reason: 'Error', exitCode: 22 });
    expect(terminated(c, 'curl-public')).toMatchObject({ reason: 'Completed', exitCode: 0 });
    expect(terminated(c, 'wget-tls')).toMatchObject({ reason: 'Error', exitCode: 1 });
    expect(logs(c, 'wget-tls')).toEqual(['wget: note: TLS certificate validation not implemented', 'wget: server returned error: HTTP/1.1 404 Not Found']);
  });

  it('under OnFailure, a fetch that fails until its Service has endpoints completes once it has them', () => {
    const c = cluster([service('late', { selector: { app: 'late' }, ports: [{ port: 80 }] })]);
    c.apply([doc(pod('waiter', 'curlimages/curl', ['curl', '-sS', 'http://late/'], 'OnFailure'))]);
    c.advance(5);
    const cs = c.ctx.store.get('Pod', 'default', 'waiter')?.status?.containerStatuses?.[0];
    expect(cs?.state?.terminated ?? cs?.lastState?.terminated).toMatchObject({ reason: 'Error', exitCode: 7 });
    c.apply([doc(deployment('late', 1))]);
    c.advance(120); // crash-loop back-off retries
    const p = c.ctx.store.get('Pod', 'default', 'waiter') as Pod;
    expect(p.status?.phase).toBe('Succeeded');
    expect(p.status?.containerStatuses?.[0]?.restartCount).toBeGreaterThan(0);
  });
});
