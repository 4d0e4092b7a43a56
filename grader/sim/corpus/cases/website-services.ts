/** kubernetes/website content/en/examples/service/ (Services, the networking tutorial, Ingress, DNS). */
import type { CorpusCase } from '../expectation.ts';
import type { KubeObject } from '../../api/types.ts';
import { PLAIN, WEBSITE, WITH_INGRESS, whoamiBackend } from './fixtures.ts';
import { renderResolvConf, resolvConfFor } from '../../network/dns/resolver.ts';
import { logsOf } from '../../kubelet/api.ts';
import type { Pod } from '../../api/types.ts';

const svc = (f: string) => `${WEBSITE}/service/${f}`;
const net = (f: string) => `${WEBSITE}/service/networking/${f}`;

const ACCESS = ['backend-deployment', 'backend-service', 'frontend-deployment', 'frontend-service'].map((f) => svc(`access/${f}.yaml`));

const INGRESS_FILES = [
  'minimal-ingress', 'simple-fanout-example', 'name-virtual-host-ingress', 'name-virtual-host-ingress-no-third-host',
  'ingress-wildcard-host', 'tls-example-ingress', 'ingress-resource-backend', 'test-ingress', 'example-ingress',
].map((f) => net(`${f}.yaml`));

/** One Ingress file alone on kind with ingress-nginx, plus whoami backends for the Services it names. */
function ingressCase(file: string, title: string, backends: KubeObject[], http: NonNullable<NonNullable<CorpusCase['steps'][0]['expect']>['http']>, extra: Partial<NonNullable<CorpusCase['steps'][0]['expect']>> = {}): CorpusCase {
  return {
    group: 'Ingress examples',
    title,
    cluster: WITH_INGRESS,
    steps: [{ objects: backends, files: [net(file)], expect: { http: http.map((h) => ({ via: 'ingress' as const, ...h })), ...extra } }],
  };
}

const addressOf = (ingress: string) => (c: { ctx: { store: { get: (k: string, ns: string, n: string) => KubeObject | undefined } } }) =>
  c.ctx.store.get('Ingress', 'default', ingress)?.status?.loadBalancer?.ingress?.[0]?.hostname as string | undefined;

export const websiteServiceCases: CorpusCase[] = [
  {
    group: 'load-balancer-example',
    title: 'Deployment only: 5 pods labelled load-balancer-example',
    cluster: PLAIN,
    steps: [{ files: [svc('load-balancer-example.yaml')], expect: { pods: [{ selector: { 'app.kubernetes.io/name': 'load-balancer-example' }, count: 5, status: 'Running' }], absent: ['Service/hello-world'] } }],
  },
  {
    group: 'nginx-service',
    title: 'port 8000 → targetPort 80, selector matches nothing: 0 endpoints, DNS answers, connect refused',
    cluster: PLAIN,
    steps: [
      {
        files: [svc('nginx-service.yaml')],
        expect: {
          clusterIP: ['nginx-service'],
          endpoints: { 'nginx-service': 0 },
          dns: [{ name: 'nginx-service', answer: { clusterIPOf: 'nginx-service' } }],
          tcp: [{ host: 'nginx-service', port: 8000, expect: { result: 'refused' } }],
          custom: (c) => {
            const p = c.ctx.store.get('Service', 'default', 'nginx-service')?.spec.ports?.[0];
            return p?.port === 8000 && p?.targetPort === 80 && p?.protocol === 'TCP' ? [] : [`ports ${JSON.stringify(p)}`];
          },
        },
      },
    ],
  },
  {
    group: 'simple-service / dual-stack-default-svc',
    title: 'both files name my-service: the second apply configures it; SingleStack IPv4, 0 endpoints',
    cluster: PLAIN,
    steps: [
      { files: [svc('simple-service.yaml')], actions: { 'Service/my-service': 'created' }, expect: { endpoints: { 'my-service': 0 } } },
      {
        files: [net('dual-stack-default-svc.yaml')],
        actions: { 'Service/my-service': 'configured' },
        expect: {
          endpoints: { 'my-service': 0 },
          custom: (c) => {
            const s = c.ctx.store.get('Service', 'default', 'my-service')!;
            const out: string[] = [];
            if (s.spec.ipFamilyPolicy !== 'SingleStack' || JSON.stringify(s.spec.ipFamilies) !== '["IPv4"]') out.push(`ipFamilyPolicy ${s.spec.ipFamilyPolicy}, ipFamilies ${JSON.stringify(s.spec.ipFamilies)}`);
            // targetPort 9376 was in the last-applied configuration and is absent now: kubectl's
            // three-way merge deletes it and the apiserver defaults it to port (80) again.
            if (s.spec.ports?.[0]?.targetPort !== 80) out.push(`targetPort ${s.spec.ports?.[0]?.targetPort}, expected 80 after the second apply`);
            if (s.metadata.labels?.['app.kubernetes.io/name'] !== 'MyApp') out.push('labels of the second file not applied');
            return out;
          },
        },
      },
    ],
  },
  {
    group: 'service/access (hello frontend/backend)',
    title: 'named targetPort http → 80, 3 backend endpoints; frontend nginx reaches `hello` by DNS',
    cluster: PLAIN,
    steps: [
      {
        files: ACCESS,
        expect: {
          endpoints: { hello: 3, frontend: 1 },
          endpointPorts: { hello: [80], frontend: [80] },
          externalIP: { frontend: 'pending' },
          dns: [{ name: 'hello', answer: { clusterIPOf: 'hello' } }],
          http: [
            { url: 'http://hello/', expect: { servedBy: 'hello' } },
            // hello-frontend's nginx proxies / to http://hello; the answer is the backend's {"message":"Hello"}.
            { url: 'http://frontend/', expect: { servedBy: 'frontend', bodyIncludes: 'Hello' } },
          ],
        },
      },
    ],
  },
  {
    group: 'my-nginx networking tutorial',
    title: 'nginx-svc + run-my-nginx: 2 endpoints; then nginx-secure-app/curlpod wait for Secret nginxsecret',
    cluster: PLAIN,
    note: 'Applied on top (the tutorial deletes first): the Deployment rolls with maxSurge 1/maxUnavailable 0, so one old pod keeps serving while the new one waits for its volumes.',
    steps: [
      {
        files: [net('nginx-svc.yaml'), net('run-my-nginx.yaml')],
        expect: {
          endpoints: { 'my-nginx': 2 },
          http: [{ url: 'http://my-nginx/', times: 6, expect: { servedBy: 'my-nginx' } }],
        },
      },
      {
        files: [net('nginx-secure-app.yaml'), net('curlpod.yaml')],
        actions: { 'Service/my-nginx': 'configured', 'Deployment/my-nginx': 'configured', 'Deployment/curl-deployment': 'created' },
        expect: {
          nodePorts: ['my-nginx'],
          pods: [{ selector: { app: 'curlpod' }, count: 1, status: 'ContainerCreating' }],
          endpoints: { 'my-nginx': 1 },
          custom: (c) => {
            const out: string[] = [];
            const s = c.ctx.store.get('Service', 'default', 'my-nginx')!;
            const ports = (s.spec.ports ?? []).map((p: any) => `${p.name}:${p.port}`).sort().join(',');
            if (s.spec.type !== 'NodePort' || ports !== 'http:8080,https:443') out.push(`Service my-nginx ${s.spec.type} ports ${ports}, expected NodePort http:8080,https:443`);
            const all = (c.ctx.store.list('Pod', 'default') as Pod[]).filter((p) => p.metadata.labels?.run === 'my-nginx');
            const secure = all.filter((p) => p.spec.containers[0]?.name === 'nginxhttps');
            const old = all.filter((p) => p.spec.containers[0]?.name === 'my-nginx' && !p.metadata.deletionTimestamp);
            if (secure.length !== 1 || secure.some((p) => (p.status?.containerStatuses?.[0]?.state?.waiting?.reason ?? p.status?.phase) !== 'ContainerCreating')) {
              out.push(`nginxhttps pods: ${secure.map((p) => `${p.metadata.name}=${p.status?.containerStatuses?.[0]?.state?.waiting?.reason ?? p.status?.phase}`).join(', ') || 'none'}, expected 1 ContainerCreating`);
            }
            if (old.length !== 1) out.push(`old my-nginx pods left: ${old.length}, expected 1 (maxUnavailable 0 of 1 replica)`);
            const ev = secure[0] ? c.ctx.events.for('Pod', 'default', secure[0].metadata.name) : [];
            if (!ev.some((e) => e.reason === 'FailedMount' && e.message.includes('secret "nginxsecret" not found'))) out.push(`no FailedMount event naming secret "nginxsecret" (${ev.map((e) => e.reason).join(',')})`);
            return out;
          },
        },
      },
    ],
  },
  ingressCase('simple-fanout-example.yaml', 'fan-out: foo.bar.com/foo → service1:4200, /bar → service2:8080', [...whoamiBackend('service1', [4200]), ...whoamiBackend('service2', [8080])], [
    { url: 'http://foo.bar.com/foo', expect: { servedBy: 'service1' } },
    { url: 'http://foo.bar.com/foo/x', expect: { servedBy: 'service1' } },
    { url: 'http://foo.bar.com/bar', expect: { servedBy: 'service2' } },
    // Prefix matches whole path elements (Trap 1); another host has no server → default backend.
    { url: 'http://foo.bar.com/foobar', expect: { status: 404 } },
    { url: 'http://other.example.com/foo', expect: { status: 404 } },
  ]),
  ingressCase('name-virtual-host-ingress.yaml', 'virtual hosts: foo.bar.com → service1, bar.foo.com → service2', [...whoamiBackend('service1', [80]), ...whoamiBackend('service2', [80])], [
    { url: 'http://foo.bar.com/', expect: { servedBy: 'service1' } },
    { url: 'http://bar.foo.com/any', expect: { servedBy: 'service2' } },
    { url: 'http://baz.example.com/', expect: { status: 404 } },
  ]),
  ingressCase('name-virtual-host-ingress-no-third-host.yaml', 'no-third-host: first → service1, second → service2, anything else → service3', [...whoamiBackend('service1', [80]), ...whoamiBackend('service2', [80]), ...whoamiBackend('service3', [80])], [
    { url: 'http://first.bar.com/', expect: { servedBy: 'service1' } },
    { url: 'http://second.bar.com/', expect: { servedBy: 'service2' } },
    { url: 'http://third.example.org/', expect: { servedBy: 'service3' } },
    { url: 'http://{nodeIP}/', expect: { servedBy: 'service3' } },
  ]),
  ingressCase('ingress-wildcard-host.yaml', '*.foo.com matches exactly one label', [...whoamiBackend('service1', [80]), ...whoamiBackend('service2', [80])], [
    { url: 'http://foo.bar.com/bar', expect: { servedBy: 'service1' } },
    { url: 'http://baz.foo.com/foo', expect: { servedBy: 'service2' } },
    { url: 'http://foo.com/foo', expect: { status: 404 } },
    { url: 'http://a.b.foo.com/foo', expect: { status: 404 } },
  ]),
  ingressCase('tls-example-ingress.yaml', 'TLS with a missing Secret: accepted, HTTP → 308, HTTPS with the fake certificate', whoamiBackend('service1', [80]), [
    { url: 'http://https-example.foo.com/', expect: { status: 308 } },
    { url: 'https://https-example.foo.com/', expect: { servedBy: 'service1' } },
    { url: 'https://https-example.foo.com/', expect: { status: 200, certificateFake: true } },
  ]),
  ingressCase('test-ingress.yaml', 'defaultBackend only: every host and path → test:80', whoamiBackend('test', [80]), [
    { url: 'http://anything.example.com/some/path', expect: { servedBy: 'test' } },
    { url: 'http://{nodeIP}/', expect: { servedBy: 'test' } },
  ]),
  ingressCase('example-ingress.yaml', 'hello-world.example → web:8080', whoamiBackend('web', [8080]), [
    { url: 'http://hello-world.example/', expect: { servedBy: 'web' } },
    { url: 'http://other.example/', expect: { status: 404 } },
  ]),
  ingressCase('minimal-ingress.yaml', 'ingressClassName nginx-example names no installed class: ingress-nginx ignores it', whoamiBackend('test', [80]), [
    { url: 'http://{nodeIP}/testpath', expect: { status: 404 } },
  ], { custom: (c) => (addressOf('minimal-ingress')(c) === undefined ? [] : ['minimal-ingress got an ADDRESS although its class is not served']) }),
  {
    group: 'Ingress examples',
    title: 'all nine applied together without backends: accepted; fan-out answers 503 (Service missing)',
    cluster: WITH_INGRESS,
    steps: [
      {
        files: INGRESS_FILES,
        expect: {
          http: [{ url: 'http://foo.bar.com/foo', via: 'ingress', expect: { status: 503 } }],
          custom: (c) => {
            const out: string[] = [];
            const ing = c.ctx.store.list('Ingress', 'default');
            if (ing.length !== 9) out.push(`${ing.length} Ingresses stored, expected 9`);
            const rb = c.ctx.store.get('Ingress', 'default', 'ingress-resource-backend');
            if (rb?.spec.defaultBackend?.resource?.kind !== 'StorageBucket') out.push('resource backend not kept');
            if (addressOf('example-ingress')(c) !== 'localhost') out.push(`example-ingress ADDRESS ${addressOf('example-ingress')(c)}, expected localhost`);
            return out;
          },
        },
      },
    ],
  },
  {
    group: 'IngressClasses',
    title: 'cluster-scoped; with example-class the only default, a classless Ingress gets it from admission',
    cluster: PLAIN,
    steps: [
      { files: [net('default-ingressclass.yaml'), net('external-lb.yaml')], expect: { exists: ['IngressClass/example-class', 'IngressClass/external-lb'] } },
      {
        files: [net('test-ingress.yaml')],
        expect: {
          custom: (c) => {
            const out: string[] = [];
            for (const n of ['example-class', 'external-lb']) if (c.ctx.store.get('IngressClass', undefined, n)?.metadata.namespace !== undefined) out.push(`IngressClass ${n} has a namespace`);
            const p = c.ctx.store.get('IngressClass', undefined, 'external-lb')?.spec.parameters;
            if (p?.kind !== 'IngressParameters' || p?.scope !== undefined) out.push(`external-lb parameters ${JSON.stringify(p)}`);
            const cls = c.ctx.store.get('Ingress', 'default', 'test-ingress')?.spec.ingressClassName;
            if (cls !== 'example-class') out.push(`test-ingress ingressClassName ${cls}, expected example-class (DefaultIngressClass admission)`);
            return out;
          },
        },
      },
    ],
  },
  {
    group: 'custom-dns',
    title: 'dnsPolicy None: resolv.conf holds only dnsConfig; the cluster DNS is not asked',
    cluster: PLAIN,
    steps: [
      {
        files: [net('custom-dns.yaml')],
        expect: {
          pods: [{ names: ['dns-example'], status: 'Running' }],
          dns: [{ pod: 'dns-example', name: 'kubernetes.default.svc.cluster.local', answer: 'unanswered' }],
          custom: (c) => {
            const p = c.ctx.store.get('Pod', 'default', 'dns-example') as Pod;
            const text = renderResolvConf(resolvConfFor('default', p.spec, { dnsServiceIP: c.config.dnsServiceIP, clusterDomain: c.config.clusterDomain }));
            const want = 'search ns1.svc.cluster-domain.example my.dns.search.suffix\nnameserver 192.0.2.1\noptions ndots:2 edns0';
            const lines = text.trim().split('\n').filter((l) => l && !l.startsWith('#'));
            return lines.sort().join('\n') === want.split('\n').sort().join('\n') ? [] : [`resolv.conf:\n${text}\nexpected the lines:\n${want}`];
          },
        },
      },
    ],
  },
  {
    group: 'hostaliases-pod',
    title: 'hostAliases appended to /etc/hosts; cat exits 0 → Completed',
    cluster: PLAIN,
    steps: [
      {
        files: [net('hostaliases-pod.yaml')],
        expect: {
          pods: [{ names: ['hostaliases-pod'], status: 'Completed' }],
          custom: (c) => {
            const p = c.ctx.store.get('Pod', 'default', 'hostaliases-pod') as Pod;
            const out: string[] = [];
            if (p.status?.phase !== 'Succeeded') out.push(`phase ${p.status?.phase}, expected Succeeded`);
            const logs = logsOf(c.ctx, p, 'cat-hosts').join('\n');
            if (!/# Entries added by HostAliases\.\n127\.0\.0\.1\tfoo\.local\tbar\.local\n10\.1\.2\.3\tfoo\.remote\tbar\.remote/.test(logs)) {
              out.push(`kubectl logs hostaliases-pod does not show the kubelet's HostAliases section of /etc/hosts: ${JSON.stringify(logs.slice(0, 200))}`);
            }
            return out;
          },
        },
      },
    ],
  },
];

