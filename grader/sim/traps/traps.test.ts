/**
 * The 30 traps of ../shared/reference/k8s-fidelity.md — the places a Kubernetes simulator most
 * often gets wrong — each asserted end to end through the whole simulated cluster. The
 * decision for each is written in docs/fidelity.md ("Traps decided"); a trap whose answer
 * follows kind's ingress-nginx rather than the Ingress spec says so there and here.
 */
import { describe, expect, it } from 'vitest';
import { SimCluster, type SimClusterOptions } from '../cluster.ts';
import { parseManifestText } from '../../manifests/parse.ts';
import { DEFAULT_LOAD_LIMITS } from '../../manifests/limits.ts';
import type { EndpointSlice, Pod } from '../api/types.ts';
import type { HttpResult } from '../../backend/types.ts';

const docs = (yaml: string) => parseManifestText(yaml, 'trap.yaml', { limits: DEFAULT_LOAD_LIMITS });
const fromPod = (namespace = 'default') => ({ kind: 'pod' as const, namespace });
const external = { kind: 'external' as const };

function cluster(yaml: string, opts: SimClusterOptions = {}): SimCluster {
  const c = new SimCluster({ seed: 3, ...opts });
  const r = c.apply(docs(yaml));
  expect(r.failed.map((f) => f.message)).toEqual([]);
  c.waitForRollout(300);
  return c;
}

function applyError(yaml: string): string {
  const c = new SimCluster({ seed: 3 });
  const r = c.apply(docs(yaml));
  expect(r.failed).toHaveLength(1);
  return r.failed[0]!.message;
}

const deploy = (name: string, replicas: number, image = 'traefik/whoami', labels = `app: ${name}`, extra = '') => `
apiVersion: apps/v1
kind: Deployment
metadata: {name: ${name}}
spec:
  replicas: ${replicas}
  selector: {matchLabels: {${labels}}}
  template:
    metadata: {labels: {${labels}}}
    spec:
      containers:
      - name: app
        image: ${image}
        ports: [{name: http, containerPort: 80}]${extra}
---`;

const svc = (name: string, spec: string) => `
apiVersion: v1
kind: Service
metadata: {name: ${name}}
spec: ${spec}
---`;

/**
 * Ready endpoint addresses that serve a port. A pod whose named targetPort does not resolve
 * still sits in a slice, but in one with no ports (as the EndpointSlice reconciler groups
 * pods by resolved port set), so it receives no traffic for that port.
 */
const readyEndpoints = (c: SimCluster, service: string, ns = 'default') =>
  (c.ctx.store.list('EndpointSlice', ns) as EndpointSlice[])
    .filter((s) => s.metadata.labels?.['kubernetes.io/service-name'] === service && (s.ports ?? []).length > 0)
    .flatMap((s) => s.endpoints.filter((e) => e.conditions.ready).map((e) => e.addresses[0]!))
    .sort();

const podIPs = (c: SimCluster, label: string) =>
  (c.ctx.store.list('Pod', 'default') as Pod[]).filter((p) => p.metadata.labels?.app === label && !p.metadata.deletionTimestamp).map((p) => p.status!.podIP!).sort();

const status = (r: HttpResult) => (r.ok ? r.status : r.error);

/** An ingress-nginx cluster with two backends and the given Ingress. */
function ingressCluster(ingress: string, extra = ''): SimCluster {
  return cluster(`${deploy('foo', 1)}${svc('foo', '{selector: {app: foo}, ports: [{port: 80, targetPort: http}]}')}${deploy('bar', 1)}${svc('bar', '{selector: {app: bar}, ports: [{port: 80, targetPort: http}]}')}${extra}${ingress}`, { ingressNginx: true });
}
async function ingressIP(c: SimCluster): Promise<string> {
  const p = (c.ctx.store.list('Pod', 'ingress-nginx') as Pod[]).find((x) => x.status?.hostIP);
  return p!.status!.hostIP!;
}
const viaIngress = async (c: SimCluster, url: string, opts: { headers?: Record<string, string>; cookies?: Record<string, string> } = {}) =>
  c.net.http({ from: external, url, connectTo: await ingressIP(c), ...opts });

const prefixIngress = (path: string, type = 'Prefix', annotations = '{}') => `
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: site, annotations: ${annotations}}
spec:
  ingressClassName: nginx
  rules:
  - host: shop.example.com
    http:
      paths:
      - {path: ${path}, pathType: ${type}, backend: {service: {name: foo, port: {number: 80}}}}
`;

describe('traps a simulator most often gets wrong', () => {
  it('1. Prefix /foo does not match /foobar: the request goes to the default backend (404)', async () => {
    const c = ingressCluster(prefixIngress('/foo'));
    expect(status(await viaIngress(c, 'http://shop.example.com/foo'))).toBe(200);
    expect(status(await viaIngress(c, 'http://shop.example.com/foo/bar'))).toBe(200);
    expect(status(await viaIngress(c, 'http://shop.example.com/foobar'))).toBe(404);
  });

  it('2. Exact /foo does not match /foo/', async () => {
    const c = ingressCluster(prefixIngress('/foo', 'Exact'));
    expect(status(await viaIngress(c, 'http://shop.example.com/foo'))).toBe(200);
    expect(status(await viaIngress(c, 'http://shop.example.com/foo/'))).toBe(404);
  });

  it('3. Prefix /foo/ and a request for /foo: ingress-nginx answers 301 to /foo/, which then matches', async () => {
    const c = ingressCluster(prefixIngress('/foo/'));
    const r = await viaIngress(c, 'http://shop.example.com/foo');
    expect(status(r)).toBe(301);
    expect(r.ok && r.headers.location).toMatch(/\/foo\/$/);
    expect(status(await viaIngress(c, 'http://shop.example.com/foo/'))).toBe(200);
  });

  it('4. *.foo.com matches exactly one label', async () => {
    const c = ingressCluster(prefixIngress('/').replace('shop.example.com', '"*.foo.com"'));
    expect(status(await viaIngress(c, 'http://bar.foo.com/'))).toBe(200);
    expect(status(await viaIngress(c, 'http://foo.com/'))).toBe(404);
    expect(status(await viaIngress(c, 'http://a.b.foo.com/'))).toBe(404);
  });

  it('5. rewrite-target on one Ingress of a host turns every path of that host into a case-insensitive regex', async () => {
    const other = `
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: rewrite, annotations: {nginx.ingress.kubernetes.io/rewrite-target: /}}
spec:
  ingressClassName: nginx
  rules:
  - host: shop.example.com
    http:
      paths:
      - {path: /bar, pathType: Prefix, backend: {service: {name: bar, port: {number: 80}}}}
---`;
    const c = ingressCluster(prefixIngress('/foo'), other);
    // Without regex mode /FOO would not match; with it, the site Ingress's /foo matches /FOO and /foobar.
    expect(status(await viaIngress(c, 'http://shop.example.com/FOO'))).toBe(200);
    expect(status(await viaIngress(c, 'http://shop.example.com/foobar'))).toBe(200);
  });

  it('6. TLS Secret missing: apply succeeds and HTTPS serves the controller\'s fake certificate', async () => {
    const c = ingressCluster(prefixIngress('/').replace('spec:\n  ingressClassName: nginx', 'spec:\n  ingressClassName: nginx\n  tls: [{hosts: [shop.example.com], secretName: missing-tls}]'));
    const r = await viaIngress(c, 'https://shop.example.com/');
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.certificate?.fake).toBe(true);
    expect(r.certificate?.validForHost).toBe(false);
    expect(r.certificate?.subject).toMatch(/Kubernetes Ingress Controller Fake Certificate/);
  });

  it('7. HTTP to a host with tls: is redirected with 308 to HTTPS', async () => {
    const c = ingressCluster(prefixIngress('/').replace('spec:\n  ingressClassName: nginx', 'spec:\n  ingressClassName: nginx\n  tls: [{hosts: [shop.example.com], secretName: missing-tls}]'));
    const r = await viaIngress(c, 'http://shop.example.com/cart');
    expect(status(r)).toBe(308);
    expect(r.ok && r.headers.location).toBe('https://shop.example.com/cart');
  });

  it('8. canary header "never" beats weight 100: the stable backend answers', async () => {
    const canary = prefixIngress('/').replace('name: site', 'name: site-canary').replace('name: foo, port', 'name: bar, port')
      .replace('annotations: {}', 'annotations: {nginx.ingress.kubernetes.io/canary: "true", nginx.ingress.kubernetes.io/canary-weight: "100", nginx.ingress.kubernetes.io/canary-by-header: X-Canary}');
    const c = ingressCluster(`${prefixIngress('/')}---${canary}`);
    const never = await viaIngress(c, 'http://shop.example.com/', { headers: { 'X-Canary': 'never' } });
    expect(never.ok && never.servedBy?.pod).toMatch(/^foo-/);
    const plain = await viaIngress(c, 'http://shop.example.com/');
    expect(plain.ok && plain.servedBy?.pod).toMatch(/^bar-/);
  });

  it('9. an Ingress of another class is ignored (kind\'s ingress-nginx also serves class-less Ingresses: --watch-ingress-without-class)', async () => {
    const c = ingressCluster(prefixIngress('/').replace('ingressClassName: nginx', 'ingressClassName: traefik'));
    expect(status(await viaIngress(c, 'http://shop.example.com/'))).toBe(404);
    const ing = c.ctx.store.get('Ingress', 'default', 'site');
    expect(ing?.status?.loadBalancer?.ingress ?? []).toEqual([]);
  });

  it('10. headless Service with no ready pods: NXDOMAIN', () => {
    const c = cluster(svc('db', '{clusterIP: None, selector: {app: db}, ports: [{port: 5432}]}'));
    expect(c.net.dns({ from: fromPod(), name: 'db', type: 'A' }).rcode).toBe('NXDOMAIN');
  });

  it('11. headless Service leaves out a pod that is not ready, unless publishNotReadyAddresses', () => {
    const probe = '\n        readinessProbe: {httpGet: {path: /, port: 9999}, periodSeconds: 5}';
    const c = cluster(`${deploy('db', 1, 'traefik/whoami', 'app: db', probe)}${svc('db', '{clusterIP: None, selector: {app: db}, ports: [{port: 80}]}')}${svc('db-all', '{clusterIP: None, publishNotReadyAddresses: true, selector: {app: db}, ports: [{port: 80}]}')}`);
    expect(c.net.dns({ from: fromPod(), name: 'db', type: 'A' }).rcode).toBe('NXDOMAIN');
    const all = c.net.dns({ from: fromPod(), name: 'db-all', type: 'A' });
    expect(all.answers.map((a) => a.data)).toEqual(podIPs(c, 'db'));
  });

  it('12. ClusterIP with no endpoints: DNS answers, and a connection is refused at once', () => {
    const c = cluster(svc('web', '{selector: {app: nothing}, ports: [{port: 80}]}'));
    const ip = c.ctx.store.get('Service', 'default', 'web')!.spec.clusterIP;
    expect(c.net.dns({ from: fromPod(), name: 'web', type: 'A' }).answers.map((a) => a.data)).toEqual([ip]);
    expect(c.net.tcp({ from: fromPod(), host: 'web', port: 80 }).result).toBe('refused');
  });

  it('13. a Deployment pod behind a headless Service gets no <pod>.<svc> name', () => {
    const c = cluster(`${deploy('web', 1)}${svc('web', '{clusterIP: None, selector: {app: web}, ports: [{port: 80}]}')}`);
    const pod = c.ctx.store.list('Pod', 'default')[0]!.metadata.name;
    expect(c.net.dns({ from: fromPod(), name: `${pod}.web.default.svc.cluster.local`, type: 'A' }).rcode).toBe('NXDOMAIN');
  });

  it('14. a short name from another namespace: NXDOMAIN; svc.ns works', () => {
    const c = cluster(`${deploy('web', 1)}${svc('web', '{selector: {app: web}, ports: [{port: 80}]}')}
apiVersion: v1
kind: Namespace
metadata: {name: other}
`);
    expect(c.net.dns({ from: fromPod('other'), name: 'web', type: 'A' }).rcode).toBe('NXDOMAIN');
    expect(c.net.dns({ from: fromPod('other'), name: 'web.default', type: 'A' }).rcode).toBe('NOERROR');
  });

  it('15. SRV only for named ports', () => {
    const c = cluster(`${svc('named', '{selector: {app: x}, ports: [{name: http, port: 80}]}')}${svc('unnamed', '{selector: {app: x}, ports: [{port: 80}]}')}`);
    expect(c.net.dns({ from: fromPod(), name: '_http._tcp.named.default.svc.cluster.local', type: 'SRV' }).answers).toHaveLength(1);
    expect(c.net.dns({ from: fromPod(), name: '_http._tcp.unnamed.default.svc.cluster.local', type: 'SRV' }).answers).toHaveLength(0);
  });

  it('16. iptables mode chooses at random: 9 requests over 3 pods are not forced to 3/3/3', () => {
    // Over many seeds, a strict round-robin would always give 3/3/3; random choice rarely does.
    let uneven = 0;
    for (let seed = 1; seed <= 8; seed++) {
      const c = new SimCluster({ seed });
      c.apply(docs(`${deploy('web', 3)}${svc('web', '{selector: {app: web}, ports: [{port: 80, targetPort: http}]}')}`));
      c.waitForRollout(300);
      const counts = new Map<string, number>();
      for (let i = 0; i < 9; i++) {
        const r = c.net.http({ from: fromPod(), url: 'http://web/' });
        if (r.ok) counts.set(r.servedBy!.pod, (counts.get(r.servedBy!.pod) ?? 0) + 1);
      }
      if ([...counts.values()].some((n) => n !== 3) || counts.size !== 3) uneven++;
    }
    expect(uneven).toBeGreaterThan(0);
  });

  it('17. a named targetPort some pods lack: those pods are left out; none has it → refused', () => {
    const c = cluster(`${deploy('a', 1, 'traefik/whoami', 'app: a, tier: web')}${deploy('b', 1, 'traefik/whoami', 'app: b, tier: web').replace('name: http', 'name: web')}${svc('web', '{selector: {tier: web}, ports: [{port: 80, targetPort: http}]}')}${svc('none', '{selector: {tier: web}, ports: [{port: 80, targetPort: nope}]}')}`);
    expect(readyEndpoints(c, 'web')).toEqual(podIPs(c, 'a'));
    expect(c.net.tcp({ from: fromPod(), host: 'none', port: 80 }).result).toBe('refused');
  });

  it('18. a numeric targetPort not in containerPorts is still used', () => {
    const c = cluster(`${deploy('web', 1)}${svc('web', '{selector: {app: web}, ports: [{port: 80, targetPort: 8080}]}')}`);
    expect(readyEndpoints(c, 'web')).toEqual(podIPs(c, 'web'));
  });

  it('19. two ports without names are rejected', () => {
    expect(applyError(svc('web', '{selector: {app: web}, ports: [{port: 80}, {port: 443}]}'))).toMatch(/spec\.ports\[1\]\.name: Required value/);
  });

  it('20. nodePort 8080 is out of range; one already taken is refused', () => {
    expect(applyError(svc('web', '{type: NodePort, selector: {app: web}, ports: [{port: 80, nodePort: 8080}]}'))).toMatch(/provided port is not in the valid range\. The range of valid ports is 30000-32767/);
    const c = new SimCluster({ seed: 3 });
    c.apply(docs(svc('a', '{type: NodePort, selector: {app: a}, ports: [{port: 80, nodePort: 30080}]}')));
    const r = c.apply(docs(svc('b', '{type: NodePort, selector: {app: b}, ports: [{port: 80, nodePort: 30080}]}')));
    expect(r.failed[0]?.message).toMatch(/provided port is already allocated/);
  });

  it('21. clusterIP: None with NodePort or LoadBalancer is rejected', () => {
    expect(applyError(svc('web', '{type: NodePort, clusterIP: None, selector: {app: web}, ports: [{port: 80}]}'))).toMatch(/may not be set to 'None' for NodePort services/);
    expect(applyError(svc('web', '{type: LoadBalancer, clusterIP: None, selector: {app: web}, ports: [{port: 80}]}'))).toMatch(/may not be set to 'None' for LoadBalancer services/);
  });

  it('22. LoadBalancer on kind without a provider stays <pending>; with a pool it gets an IP', () => {
    const yaml = svc('web', '{type: LoadBalancer, selector: {app: web}, ports: [{port: 80}]}');
    const bare = cluster(yaml, { loadBalancerPool: null });
    expect(bare.ctx.store.get('Service', 'default', 'web')?.status?.loadBalancer?.ingress ?? []).toEqual([]);
    expect(bare.views('default')).toMatch(/web\s+LoadBalancer\s+\S+\s+<pending>\s+80:3\d{4}\/TCP/);
    const withPool = cluster(yaml);
    expect(withPool.ctx.store.get('Service', 'default', 'web')?.status?.loadBalancer?.ingress?.[0]?.ip).toMatch(/^172\.18\.255\.2\d\d$/);
  });

  it('23. a terminating pod stays in the slice with ready=false, terminating=true', () => {
    const c = cluster(`${deploy('web', 1, 'busybox', 'app: web').replace('image: busybox', 'image: busybox\n        command: [sleep, "3600"]')}${svc('web', '{selector: {app: web}, ports: [{port: 80}]}')}`);
    const pod = c.ctx.store.list('Pod', 'default')[0]!.metadata.name;
    c.act({ type: 'deletePod', namespace: 'default', name: pod });
    const eps = (c.ctx.store.list('EndpointSlice', 'default') as EndpointSlice[]).flatMap((s) => s.endpoints);
    const old = eps.find((e) => e.targetRef?.name === pod);
    expect(old?.conditions).toMatchObject({ ready: false, terminating: true });
  });

  it('24–26. node loss: Deployment pod leaves endpoints after 40 s, replaced after ~300 s more, old pod stuck Terminating; StatefulSet pod not replaced; bare Pod never recreated', () => {
    const sts = `
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: db}
spec:
  serviceName: db
  replicas: 1
  selector: {matchLabels: {app: db}}
  template:
    metadata: {labels: {app: db}}
    spec:
      nodeName: kind-worker
      containers: [{name: db, image: traefik/whoami}]
---
apiVersion: v1
kind: Pod
metadata: {name: lonely, labels: {app: lonely}}
spec:
  nodeName: kind-worker
  containers: [{name: app, image: traefik/whoami}]
---`;
    const c = cluster(`${deploy('web', 1, 'traefik/whoami', 'app: web', '\n      nodeName: kind-worker').replace('        ports: [{name: http, containerPort: 80}]\n      nodeName', '        ports: [{name: http, containerPort: 80}]\n      nodeName')}${svc('web', '{selector: {app: web}, ports: [{port: 80, targetPort: http}]}')}${sts}`);
    const before = (c.ctx.store.list('Pod', 'default') as Pod[]).find((p) => p.metadata.labels?.app === 'web')!;
    expect(before.spec.nodeName).toBe('kind-worker');
    c.act({ type: 'killNode', node: 'kind-worker' });
    c.advance(30);
    expect(readyEndpoints(c, 'web')).toHaveLength(1);
    c.advance(15);
    expect(readyEndpoints(c, 'web')).toHaveLength(0);
    c.advance(310);
    const pods = c.ctx.store.list('Pod', 'default') as Pod[];
    const web = pods.filter((p) => p.metadata.labels?.app === 'web');
    expect(web.find((p) => p.metadata.name === before.metadata.name)?.metadata.deletionTimestamp).toBeDefined();
    // The Deployment's pod template pins kind-worker here, so the replacement waits Pending: it exists with a new name.
    expect(web.some((p) => p.metadata.name !== before.metadata.name && !p.metadata.deletionTimestamp)).toBe(true);
    expect(pods.filter((p) => p.metadata.name === 'db-0')).toHaveLength(1);
    expect(pods.find((p) => p.metadata.name === 'db-0')?.metadata.deletionTimestamp).toBeDefined();
    expect(pods.find((p) => p.metadata.name === 'lonely')?.metadata.deletionTimestamp).toBeDefined();
    c.act({ type: 'deletePod', namespace: 'default', name: 'lonely', force: true });
    c.advance(60);
    expect(c.ctx.store.get('Pod', 'default', 'lonely')).toBeUndefined();
  });

  it('27. externalTrafficPolicy Local with no local pod: the node drops the traffic', () => {
    const c = cluster(`${deploy('web', 1, 'traefik/whoami', 'app: web', '\n      nodeName: kind-worker')}${svc('web', '{type: NodePort, externalTrafficPolicy: Local, selector: {app: web}, ports: [{port: 80, targetPort: http, nodePort: 30080}]}')}`);
    const nodes = c.ctx.store.list('Node');
    const ip = (n: string) => nodes.find((x) => x.metadata.name === n)!.status.addresses.find((a: { type: string }) => a.type === 'InternalIP').address;
    expect(status(c.net.http({ from: external, url: `http://${ip('kind-worker')}:30080/` }))).toBe(200);
    expect(status(c.net.http({ from: external, url: `http://${ip('kind-worker2')}:30080/` }))).toBe('timed out');
  });

  it('28. a StatefulSet without serviceName is accepted and gets no per-pod DNS', () => {
    const c = cluster(`
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: web}
spec:
  replicas: 1
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec: {containers: [{name: web, image: traefik/whoami}]}
---${svc('web', '{clusterIP: None, selector: {app: web}, ports: [{port: 80}]}')}`);
    expect(c.ctx.store.get('Pod', 'default', 'web-0')).toBeDefined();
    expect(c.net.dns({ from: fromPod(), name: 'web-0.web.default.svc.cluster.local', type: 'A' }).rcode).toBe('NXDOMAIN');
  });

  it('29. a Deployment whose selector does not match its labels, or whose selector changes, is rejected', () => {
    expect(applyError(deploy('web', 1).replace('selector: {matchLabels: {app: web}}', 'selector: {matchLabels: {app: wbe}}'))).toMatch(/`selector` does not match template `labels`/);
    const c = new SimCluster({ seed: 3 });
    c.apply(docs(deploy('web', 1)));
    const r = c.apply(docs(deploy('web', 1, 'traefik/whoami', 'app: web, v: two')));
    expect(r.failed[0]?.message).toMatch(/field is immutable/);
  });

  it('30. ndots:5: example.com tries the cluster search domains first', () => {
    const c = cluster('');
    const r = c.net.dns({ from: fromPod(), name: 'example.com', type: 'A' });
    const tried = r.trace.map((h) => h.detail).join('\n');
    expect(tried).toMatch(/example\.com\.default\.svc\.cluster\.local/);
    expect(tried).toMatch(/example\.com\.svc\.cluster\.local/);
  });
});
