/** kubernetes/ingress-nginx docs/examples and metallb/metallb configsamples. */
import type { CorpusCase } from '../expectation.ts';
import { INGRESS_NGINX, METALLB, PLAIN, WEBSITE, WITH_INGRESS, WITH_POOL, metallbCrds } from './fixtures.ts';
import { ingressAddress } from '../harness.ts';

const ing = (f: string) => `${INGRESS_NGINX}/${f}`;
const HTTP_SVC = ing('http-svc.yaml');
const CUSTOM_NS = [ing('customization/custom-configuration/configmap.yaml'), ing('customization/custom-headers/configmap.yaml'), ing('customization/custom-headers/custom-headers.yaml')];
const CUSTOM_DEFAULT = [ing('customization/custom-errors/custom-default-backend.yaml'), ing('customization/custom-errors/custom-default-backend-error_pages.configMap.yaml')];
const NS_NOT_FOUND = 'namespaces "ingress-nginx" not found';
const METALLB_FILES = ['ipaddresspool_simple', 'l2adv_selects_pools_by_list', 'simple_pool_adv_l2'].map((f) => `${METALLB}/${f}.yaml`);

export const ingressNginxCases: CorpusCase[] = [
  {
    group: 'http-svc',
    title: 'echoserver behind http-svc (80 → 8080), downward-API env',
    cluster: PLAIN,
    steps: [
      {
        files: [HTTP_SVC],
        expect: {
          endpoints: { 'http-svc': 1 },
          endpointPorts: { 'http-svc': [8080] },
          http: [{ url: 'http://http-svc/', expect: { servedBy: 'http-svc' } }],
          custom: (c) => {
            const r = c.net.http({ from: { kind: 'pod', namespace: 'default' }, url: 'http://http-svc/' });
            // echoserver prints "pod name:" etc. from the downward-API env the manifest sets.
            return r.ok && r.servedBy && r.body.includes(r.servedBy.pod) ? [] : [`echoserver answer does not name the serving pod: ${r.ok ? r.body.slice(0, 120) : r.error}`];
          },
        },
      },
    ],
  },
  {
    group: 'cookie affinity',
    title: 'annotations kept as strings; stickyingress hosts → http-svc with the session cookie',
    cluster: WITH_INGRESS,
    steps: [
      {
        files: [HTTP_SVC, ing('affinity/cookie/ingress.yaml'), ing('affinity/cookie/ingress-samesite.yaml')],
        expect: {
          http: [
            { via: 'ingress', url: 'http://stickyingress.example.com/', expect: { servedBy: 'http-svc' } },
            { via: 'ingress', url: 'http://stickyingress-samesite-strict.example.com/', expect: { servedBy: 'http-svc' } },
          ],
          custom: (c) => {
            const out: string[] = [];
            const a = c.ctx.store.get('Ingress', 'default', 'nginx-test')?.metadata.annotations ?? {};
            if (a['nginx.ingress.kubernetes.io/session-cookie-expires'] !== '172800' || a['nginx.ingress.kubernetes.io/affinity'] !== 'cookie') out.push(`annotations ${JSON.stringify(a)}`);
            const r = c.net.http({ from: { kind: 'external' }, url: 'http://stickyingress.example.com/', connectTo: ingressAddress(c) });
            const cookie = r.ok ? (r.headers['set-cookie'] ?? '') : '';
            if (!cookie.startsWith('route=')) out.push(`no "route" affinity cookie set: ${r.ok ? JSON.stringify(r.headers) : r.error}`);
            return out;
          },
        },
      },
    ],
  },
  {
    group: 'tls-termination',
    title: 'TLS Secret missing: accepted, fake certificate, HTTP 308; same name as the cookie Ingress → configured',
    cluster: WITH_INGRESS,
    steps: [
      {
        files: [HTTP_SVC, ing('tls-termination/ingress.yaml')],
        expect: {
          http: [
            { via: 'ingress', url: 'http://foo.bar.com/', expect: { status: 308 } },
            { via: 'ingress', url: 'https://foo.bar.com/', expect: { servedBy: 'http-svc' } },
            { via: 'ingress', url: 'https://foo.bar.com/', expect: { status: 200, certificateFake: true } },
          ],
        },
      },
      { files: [ing('affinity/cookie/ingress.yaml')], actions: { 'Ingress/nginx-test': 'configured' }, expect: { http: [{ via: 'ingress', url: 'http://stickyingress.example.com/', expect: { servedBy: 'http-svc' } }] } },
    ],
  },
  {
    group: 'multi-tls',
    title: 'RCs without selectors; foo.bar.com → http-svc, bar.baz.com → nginx; http-svc.yaml first, multi-tls wins the name',
    cluster: WITH_INGRESS,
    steps: [
      { files: [HTTP_SVC], expect: { endpoints: { 'http-svc': 1 } } },
      {
        files: [ing('multi-tls/multi-tls.yaml')],
        actions: { 'Service/http-svc': 'configured', 'Ingress/foo-tls': 'created' },
        expect: {
          endpoints: { 'http-svc': 1, nginx: 1 },
          http: [
            { via: 'ingress', url: 'https://foo.bar.com/', expect: { servedByLabels: { 'app.kubernetes.io/name': 'http-svc' } } },
            { via: 'ingress', url: 'https://bar.baz.com/', expect: { servedBy: 'nginx' } },
          ],
          custom: (c) => {
            const sel = c.ctx.store.get('Service', 'default', 'http-svc')?.spec.selector;
            const out: string[] = [];
            // Three-way merge: the key `app` from the last apply is removed, the new keys set.
            if (JSON.stringify(sel) !== JSON.stringify({ 'app.kubernetes.io/name': 'http-svc', 'app.kubernetes.io/part-of': 'ingress-nginx' })) out.push(`http-svc selector ${JSON.stringify(sel)}`);
            for (const rc of ['nginx', 'http-svc']) {
              const o = c.ctx.store.get('ReplicationController', 'default', rc);
              if (JSON.stringify(o?.spec.selector) !== JSON.stringify(o?.spec.template.metadata.labels)) out.push(`RC ${rc} selector not defaulted from the template`);
            }
            return out;
          },
        },
      },
    ],
  },
  {
    group: 'customization',
    title: 'without ingress-nginx: the three ConfigMaps in namespace ingress-nginx fail; the rest is accepted',
    cluster: PLAIN,
    steps: [
      {
        files: [...CUSTOM_NS, ...CUSTOM_DEFAULT],
        fails: { 'ConfigMap/ingress-nginx-controller': NS_NOT_FOUND, 'ConfigMap/custom-headers': NS_NOT_FOUND },
        expect: {
          endpoints: { 'nginx-errors': 1 },
          endpointPorts: { 'nginx-errors': [8080] },
          http: [{ url: 'http://nginx-errors/', expect: { servedBy: 'nginx-errors', status: 404 } }],
          custom: (c) => {
            const out: string[] = [];
            const cm = c.ctx.store.get('ConfigMap', 'default', 'custom-error-pages');
            const keys = Object.keys(cm?.data ?? {}).sort();
            if (JSON.stringify(keys) !== '["404","503"]') out.push(`custom-error-pages keys ${JSON.stringify(keys)}, expected "404","503"`);
            if (!String(cm?.data?.['503'] ?? '').includes('CUSTOM SERVICE UNAVAILABLE')) out.push('503 page content lost');
            return out;
          },
        },
      },
    ],
  },
  {
    group: 'customization',
    title: 'with ingress-nginx: ConfigMaps accepted; the second ingress-nginx-controller apply replaces the first\'s keys',
    cluster: WITH_INGRESS,
    steps: [
      {
        files: CUSTOM_NS,
        expect: {
          custom: (c) => {
            const out: string[] = [];
            const cm = c.ctx.store.get('ConfigMap', 'ingress-nginx', 'ingress-nginx-controller')?.data ?? {};
            if (cm['proxy-set-headers'] !== 'ingress-nginx/custom-headers') out.push(`proxy-set-headers ${cm['proxy-set-headers']}`);
            // kubectl apply's three-way merge drops keys the previous apply set and this one omits.
            if ('proxy-connect-timeout' in cm) out.push('proxy-connect-timeout kept after the second apply omitted it');
            const h = c.ctx.store.get('ConfigMap', 'ingress-nginx', 'custom-headers')?.data ?? {};
            if (h['X-Request-Start'] !== 't=${msec}') out.push(`X-Request-Start ${h['X-Request-Start']}, expected the literal t=\${msec}`);
            return out;
          },
        },
      },
    ],
  },
  {
    group: 'static-ip',
    title: 'loadBalancerIP outside any pool: 2 nodePorts + healthCheckNodePort, 0 endpoints, EXTERNAL-IP stays pending',
    cluster: WITH_POOL,
    steps: [
      {
        files: [ing('static-ip/static-ip-svc.yaml')],
        expect: {
          clusterIP: ['ingress-nginx-lb'],
          nodePorts: ['ingress-nginx-lb'],
          endpoints: { 'ingress-nginx-lb': 0 },
          // MetalLB refuses an address that is in no pool.
          externalIP: { 'ingress-nginx-lb': 'pending' },
          events: [{ object: 'Service/ingress-nginx-lb', reason: 'AllocationFailed' }],
          custom: (c) => {
            const s = c.ctx.store.get('Service', 'default', 'ingress-nginx-lb')!;
            const hc = s.spec.healthCheckNodePort;
            return hc >= 30000 && hc <= 32767 && s.spec.externalTrafficPolicy === 'Local' ? [] : [`healthCheckNodePort ${hc}, policy ${s.spec.externalTrafficPolicy}`];
          },
        },
      },
    ],
  },
  {
    group: 'MetalLB L2',
    title: 'without the MetalLB CRDs: no matches for kind',
    cluster: PLAIN,
    steps: [
      {
        files: METALLB_FILES,
        fails: {
          'IPAddressPool/example': 'no matches for kind "IPAddressPool" in version "metallb.io/v1beta1"',
          'L2Advertisement/example': 'no matches for kind "L2Advertisement" in version "metallb.io/v1beta1"',
          'L2Advertisement/empty': 'no matches for kind "L2Advertisement" in version "metallb.io/v1beta1"',
        },
      },
    ],
  },
  {
    group: 'MetalLB L2',
    title: 'with the CRDs: pool example created once; a LoadBalancer Service gets an address from it',
    cluster: PLAIN,
    steps: [
      { objects: metallbCrds(), expect: { exists: ['CustomResourceDefinition/ipaddresspools.metallb.io'] } },
      {
        files: METALLB_FILES,
        actions: { 'IPAddressPool/example': 'unchanged', 'L2Advertisement/example': 'created', 'L2Advertisement/empty': 'created' },
        expect: { exists: ['IPAddressPool/metallb-system/example', 'L2Advertisement/metallb-system/empty'] },
      },
      {
        files: [`${WEBSITE}/application/nginx-app.yaml`],
        expect: {
          externalIP: { 'my-nginx-svc': { first: '192.168.9.1', last: '192.168.10.255' } },
          custom: (c) => {
            const ip = c.ctx.store.get('Service', 'default', 'my-nginx-svc')?.status?.loadBalancer?.ingress?.[0]?.ip ?? '';
            return /^192\.168\.10\.\d+$/.test(ip) || /^192\.168\.9\.[1-5]$/.test(ip) ? [] : [`EXTERNAL-IP ${ip} not from pool example`];
          },
        },
      },
    ],
  },
];

