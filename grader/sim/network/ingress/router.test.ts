import { describe, expect, it } from 'vitest';
import { ObjectStore } from '../../api/store.ts';
import type { Ingress } from '../../api/types.ts';
import { Rng } from '../../../util/rng.ts';
import { StoreNetworkState } from '../state.ts';
import { kindNodes, makeService, makeSlice } from '../testkit.ts';
import { IngressNginx, type IngressRequest, rewrite } from './router.ts';
import { sortIngresses } from './model.ts';
import { generateSelfSigned } from '../tls/generate.ts';

let t = 0;
function ingress(name: string, spec: Ingress['spec'], annotations: Record<string, string> = {}, ns = 'default'): Ingress {
  return { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name, namespace: ns, annotations, creationTimestamp: `2024-01-01T00:00:${String(t++).padStart(2, '0')}Z` }, spec };
}
const rule = (host: string | undefined, paths: [string, 'Exact' | 'Prefix' | 'ImplementationSpecific', string][]) => ({
  ...(host ? { host } : {}),
  http: { paths: paths.map(([path, pathType, svc]) => ({ path, pathType, backend: { service: { name: svc, port: { number: 80 } } } })) },
});

function setup(...ings: Ingress[]) {
  const store = new ObjectStore();
  for (const n of kindNodes()) store.put(n);
  store.put({ apiVersion: 'networking.k8s.io/v1', kind: 'IngressClass', metadata: { name: 'nginx' }, spec: { controller: 'k8s.io/ingress-nginx' } });
  store.put({ apiVersion: 'networking.k8s.io/v1', kind: 'IngressClass', metadata: { name: 'traefik' }, spec: { controller: 'traefik.io/ingress-controller' } });
  let i = 10;
  for (const svc of ['a', 'b', 'c', 'canary', 'stable']) {
    store.put(makeService(svc, { clusterIP: `10.96.1.${i}`, selector: { app: svc }, ports: [{ port: 80, targetPort: 8080 }] }));
    store.put(makeSlice(svc, [{ ip: `10.244.1.${i}`, pod: `${svc}-pod` }, { ip: `10.244.2.${i}`, pod: `${svc}-pod2` }], [{ port: 8080 }]));
    i++;
  }
  store.put(makeService('empty', { clusterIP: '10.96.1.99', selector: { app: 'none' }, ports: [{ port: 80 }] }));
  for (const ing of ings) store.put(ing);
  const nginx = new IngressNginx(store, new StoreNetworkState(store), new Rng(3));
  const go = (host: string, path: string, extra: Partial<IngressRequest> = {}) =>
    nginx.route({ scheme: 'http', host, method: 'GET', path, headers: {}, cookies: {}, clientIP: '172.18.0.1', port: 80, ...extra });
  /** "svc" for a proxied request, or the status code. */
  const where = (host: string, path: string, extra: Partial<IngressRequest> = {}) => {
    const o = go(host, path, extra);
    return o.kind === 'proxy' ? o.service.name : o.status;
  };
  return { store, nginx, go, where };
}

describe('ingress-nginx routing: paths', () => {
  const { where } = setup(
    ingress('paths', { ingressClassName: 'nginx', rules: [rule('foo.bar.com', [['/foo', 'Prefix', 'a'], ['/exact', 'Exact', 'b'], ['/foo', 'Exact', 'c'], ['/dir/', 'Prefix', 'b'], ['/impl', 'ImplementationSpecific', 'c']])] }),
  );
  it.each([
    ['/foo', 'c', 'Exact beats Prefix at equal length'],
    ['/foo/', 'a', 'Prefix /foo matches /foo/'],
    ['/foo/bar', 'a', 'Prefix matches by path element'],
    ['/foobar', 404, 'trap 1: Prefix /foo does not match /foobar'],
    ['/exact', 'b', 'Exact matches itself'],
    ['/exact/', 404, 'trap 2: Exact /exact does not match /exact/'],
    ['/EXACT', 404, 'Exact is case-sensitive'],
    ['/dir/x', 'b', 'Prefix /dir/ matches below it'],
    ['/dir', 301, 'trap 3: Prefix /dir/ and request /dir: nginx redirects to /dir/ (then matches)'],
    ['/implementation', 'c', 'ImplementationSpecific is a plain nginx prefix'],
    ['/', 404, 'nothing at / → default backend'],
    ['/foo?x=1', 'c', 'query strings do not take part'],
  ] as const)('%s → %s (%s)', (path, want, _why) => {
    expect(where('foo.bar.com', path)).toBe(want);
  });
});

describe('ingress-nginx routing: hosts, classes, default backends', () => {
  it('wildcards match exactly one label (trap 4); no-host rules catch the rest', () => {
    const { where } = setup(
      ingress('w', { ingressClassName: 'nginx', rules: [rule('*.foo.com', [['/', 'Prefix', 'a']]), rule(undefined, [['/', 'Prefix', 'c']]), rule('first.bar.com', [['/', 'Prefix', 'b']])] }),
    );
    expect(where('bar.foo.com', '/')).toBe('a');
    expect(where('BAR.foo.com:80', '/x')).toBe('a');
    expect(where('foo.com', '/')).toBe('c');
    expect(where('a.b.foo.com', '/')).toBe('c');
    expect(where('first.bar.com', '/')).toBe('b');
    expect(where('10.0.0.1', '/')).toBe('c');
  });

  it('a host server does not fall back to host-less rules; unknown paths get 404', () => {
    const { where } = setup(ingress('x', { rules: [rule('h.com', [['/api', 'Prefix', 'a']]), rule(undefined, [['/', 'Prefix', 'c']])] }));
    expect(where('h.com', '/other')).toBe(404);
  });

  it('class selection: other classes and unknown classes ignored, classless handled (kind runs --watch-ingress-without-class)', () => {
    const { where, nginx } = setup(
      ingress('mine', { ingressClassName: 'nginx', rules: [rule('mine.com', [['/', 'Prefix', 'a']])] }),
      ingress('theirs', { ingressClassName: 'traefik', rules: [rule('theirs.com', [['/', 'Prefix', 'a']])] }),
      ingress('ghost', { ingressClassName: 'nope', rules: [rule('ghost.com', [['/', 'Prefix', 'a']])] }),
      ingress('anno', { rules: [rule('anno.com', [['/', 'Prefix', 'a']])] }, { 'kubernetes.io/ingress.class': 'other' }),
      ingress('classless', { rules: [rule('classless.com', [['/', 'Prefix', 'b']])] }),
    );
    expect(where('mine.com', '/')).toBe('a');
    expect(where('theirs.com', '/')).toBe(404);
    expect(where('ghost.com', '/')).toBe(404);
    expect(where('anno.com', '/')).toBe(404);
    expect(where('classless.com', '/')).toBe('b');
    expect(nginx.handles(ingress('t', { ingressClassName: 'traefik' })).why).toMatch(/belongs to controller traefik/);
  });

  it('defaultBackend-only Ingress serves everything else; /healthz on the default server; 503 without endpoints', () => {
    const { where, go } = setup(
      ingress('catch', { defaultBackend: { service: { name: 'b', port: { number: 80 } } } }),
      ingress('dead', { rules: [rule('dead.com', [['/', 'Prefix', 'empty']]), rule('gone.com', [['/', 'Prefix', 'missing']])] }),
    );
    expect(where('whatever.com', '/x')).toBe('b');
    expect(where('dead.com', '/')).toBe(503);
    expect(where('gone.com', '/')).toBe(503);
    const h = go('10.1.1.1', '/healthz');
    expect(h.kind === 'reply' && h.status).toBe(200);
    const nf = setup().go('x.com', '/');
    expect(nf.kind === 'reply' && nf.body).toContain('<title>404 Not Found</title>');
  });

  it('merges Ingresses of one host; the oldest wins a duplicate path', () => {
    const { where } = setup(
      ingress('first', { rules: [rule('m.com', [['/a', 'Prefix', 'a']])] }),
      ingress('second', { rules: [rule('m.com', [['/b', 'Prefix', 'b'], ['/a', 'Prefix', 'c']])] }),
    );
    expect(where('m.com', '/a')).toBe('a');
    expect(where('m.com', '/b')).toBe('b');
  });
});

describe('ingress-nginx: merge order and default locations', () => {
  const at = (name: string, ts: string, spec: Ingress['spec'], ns = 'default'): Ingress =>
    ({ apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name, namespace: ns, creationTimestamp: ts }, spec });
  const same = '2024-01-01T00:05:00Z';

  it('sortIngresses: oldest first; a tie on creationTimestamp goes descending by namespace/name (sortIngressSlice: in > jn)', () => {
    const order = sortIngresses([
      at('a', same, {}), at('b', same, {}), at('z', same, {}, 'alpha'), at('old', '2024-01-01T00:00:01Z', {}),
    ]).map((i) => `${i.metadata.namespace}/${i.metadata.name}`);
    expect(order).toEqual(['default/old', 'default/b', 'default/a', 'alpha/z']);
  });

  it('a duplicate host+path created in the same second goes to the Ingress whose namespace/name sorts last', () => {
    const { where, nginx } = setup(
      at('a-first', same, { rules: [rule('tie.com', [['/x', 'Prefix', 'a']])] }),
      at('b-second', same, { rules: [rule('tie.com', [['/x', 'Prefix', 'b']])] }),
    );
    expect(where('tie.com', '/x')).toBe('b');
    // The server lists its Ingresses in the same order (TLS is taken from the first with a tls section).
    expect(nginx.servers().get('tie.com')!.ingresses.map((i) => i.metadata.name)).toEqual(['b-second', 'a-first']);
  });

  it('a rule for / (Prefix) replaces the default location even when the Ingress has a defaultBackend', () => {
    const { where } = setup(
      ingress('both', { defaultBackend: { service: { name: 'b', port: { number: 80 } } }, rules: [rule('both.com', [['/', 'Prefix', 'a'], ['/c', 'Prefix', 'c']])] }),
    );
    expect(where('both.com', '/')).toBe('a');
    expect(where('both.com', '/anything')).toBe('a');
    expect(where('both.com', '/c')).toBe('c');
    // An Ingress with rules does not become the catch-all: other hosts still get the 404.
    expect(where('other.com', '/')).toBe(404);
  });

  it('the defaultBackend serves what no rule of its host matches; a later Ingress\'s / rule still replaces it', () => {
    const { where } = setup(
      ingress('def', { defaultBackend: { service: { name: 'b', port: { number: 80 } } }, rules: [rule('d.com', [['/api', 'Prefix', 'a']])] }),
    );
    expect(where('d.com', '/api')).toBe('a');
    expect(where('d.com', '/other')).toBe('b');
    const later = setup(
      ingress('def2', { defaultBackend: { service: { name: 'b', port: { number: 80 } } }, rules: [rule('e.com', [['/api', 'Prefix', 'a']])] }),
      ingress('root', { rules: [rule('e.com', [['/', 'Prefix', 'c']])] }),
    );
    expect(later.where('e.com', '/other')).toBe('c');
  });

  it('a second rule for / does not replace the first one (only a default location is replaced)', () => {
    const { where } = setup(
      ingress('r1', { rules: [rule('r.com', [['/', 'Prefix', 'a']])] }),
      ingress('r2', { defaultBackend: { service: { name: 'c', port: { number: 80 } } }, rules: [rule('r.com', [['/', 'Prefix', 'b']])] }),
    );
    expect(where('r.com', '/')).toBe('a');
  });
});

describe('ingress-nginx: regex mode and rewrite', () => {
  it('rewrite-target on one Ingress makes every path of the host a case-insensitive regex, longest first (trap 5)', () => {
    const { where, go } = setup(
      ingress('plain', { rules: [rule('r.com', [['/foo', 'Exact', 'a'], ['/api', 'Prefix', 'b']])] }),
      ingress('rw', { rules: [rule('r.com', [['/app(/|$)(.*)', 'ImplementationSpecific', 'c']])] }, { 'nginx.ingress.kubernetes.io/rewrite-target': '/$2' }),
    );
    expect(where('r.com', '/FOO/extra')).toBe('a');
    expect(where('r.com', '/apifoo')).toBe('b');
    const o = go('r.com', '/app/x/y?q=1');
    expect(o.kind === 'proxy' && [o.service.name, o.path]).toEqual(['c', '/x/y?q=1']);
  });

  it('rewrite replaces the whole URI when the regex matches', () => {
    expect(rewrite('/something(/|$)(.*)', '/$2', '/something/new')).toBe('/new');
    expect(rewrite('/foo', '/', '/foo/bar')).toBe('/');
    expect(rewrite('/foo', '/', '/other')).toBe('/other');
  });
});

describe('ingress-nginx: canary', () => {
  const base = () => ingress('main', { rules: [rule('c.com', [['/', 'Prefix', 'stable']])] });
  const canary = (ann: Record<string, string>) =>
    ingress('can', { rules: [rule('c.com', [['/', 'Prefix', 'canary']])] }, { 'nginx.ingress.kubernetes.io/canary': 'true', ...ann });

  it('header never beats weight 100 (trap 8); always forces canary', () => {
    const { where } = setup(base(), canary({ 'nginx.ingress.kubernetes.io/canary-by-header': 'X-Canary', 'nginx.ingress.kubernetes.io/canary-weight': '100' }));
    expect(where('c.com', '/', { headers: { 'x-canary': 'never' } })).toBe('stable');
    expect(where('c.com', '/', { headers: { 'x-canary': 'always' } })).toBe('canary');
    expect(where('c.com', '/')).toBe('canary');
  });

  it('header value and pattern; a non-matching value falls through to weight 0', () => {
    const { where } = setup(base(), canary({ 'nginx.ingress.kubernetes.io/canary-by-header': 'X-Env', 'nginx.ingress.kubernetes.io/canary-by-header-value': 'beta' }));
    expect(where('c.com', '/', { headers: { 'x-env': 'beta' } })).toBe('canary');
    expect(where('c.com', '/', { headers: { 'x-env': 'always' } })).toBe('stable');
    const p = setup(base(), canary({ 'nginx.ingress.kubernetes.io/canary-by-header': 'X-Env', 'nginx.ingress.kubernetes.io/canary-by-header-pattern': '^be' }));
    expect(p.where('c.com', '/', { headers: { 'x-env': 'beta' } })).toBe('canary');
  });

  it('cookie always/never, header before cookie', () => {
    const { where } = setup(base(), canary({ 'nginx.ingress.kubernetes.io/canary-by-cookie': 'canary', 'nginx.ingress.kubernetes.io/canary-by-header': 'X-C', 'nginx.ingress.kubernetes.io/canary-weight': '100' }));
    expect(where('c.com', '/', { cookies: { canary: 'never' } })).toBe('stable');
    expect(where('c.com', '/', { cookies: { canary: 'never' }, headers: { 'x-c': 'always' } })).toBe('canary');
  });

  it('weight splits about weight/total', () => {
    const { where } = setup(base(), canary({ 'nginx.ingress.kubernetes.io/canary-weight': '20' }));
    let n = 0;
    for (let i = 0; i < 2000; i++) if (where('c.com', '/') === 'canary') n++;
    expect(n / 2000).toBeGreaterThan(0.16);
    expect(n / 2000).toBeLessThan(0.24);
    const t2 = setup(base(), canary({ 'nginx.ingress.kubernetes.io/canary-weight': '1', 'nginx.ingress.kubernetes.io/canary-weight-total': '2' }));
    let m = 0;
    for (let i = 0; i < 400; i++) if (t2.where('c.com', '/') === 'canary') m++;
    expect(m / 400).toBeLessThan(0.05); // totals under 100 are ignored: 1/100
  });
});

describe('ingress-nginx: balancing and affinity', () => {
  it('round-robins over endpoints directly', () => {
    const { go } = setup(ingress('x', { rules: [rule('x.com', [['/', 'Prefix', 'a']])] }));
    const ips = Array.from({ length: 4 }, () => { const o = go('x.com', '/'); return o.kind === 'proxy' ? o.endpoint.ip : ''; });
    expect(new Set(ips).size).toBe(2);
    expect(ips[0]).toBe(ips[2]);
    expect(ips[0]).not.toBe(ips[1]);
  });

  it('cookie affinity sets INGRESSCOOKIE and sticks a client that sends it', () => {
    const { go } = setup(ingress('x', { rules: [rule('x.com', [['/', 'Prefix', 'a']])] }, { 'nginx.ingress.kubernetes.io/affinity': 'cookie' }));
    const first = go('x.com', '/');
    expect(first.kind).toBe('proxy');
    if (first.kind !== 'proxy') return;
    const sc = first.responseHeaders['set-cookie']!;
    expect(sc).toMatch(/^INGRESSCOOKIE=[0-9a-f]{32}; Path=\/; HttpOnly$/);
    const value = sc.split(';')[0]!.split('=')[1]!;
    for (let i = 0; i < 6; i++) {
      const o = go('x.com', '/', { cookies: { INGRESSCOOKIE: value } });
      expect(o.kind === 'proxy' && o.endpoint.ip).toBe(first.endpoint.ip);
      expect(o.kind === 'proxy' && o.responseHeaders['set-cookie']).toBeUndefined();
    }
    const named = setup(ingress('y', { rules: [rule('y.com', [['/', 'Prefix', 'a']])] }, { 'nginx.ingress.kubernetes.io/affinity': 'cookie', 'nginx.ingress.kubernetes.io/session-cookie-name': 'route' }));
    const o = named.go('y.com', '/');
    expect(o.kind === 'proxy' && o.responseHeaders['set-cookie']).toMatch(/^route=/);
  });
});

describe('ingress-nginx: TLS', () => {
  const pair = generateSelfSigned({ hosts: ['shop.example.com'] });
  const other = generateSelfSigned({ hosts: ['other.example.com'] });
  const cnOnly = generateSelfSigned({ hosts: ['cn.example.com'], noSAN: true });
  const wild = generateSelfSigned({ hosts: ['*.wild.example.com'] });
  const secret = (name: string, p: { cert: string; key: string }, ns = 'default') => ({
    apiVersion: 'v1', kind: 'Secret', type: 'kubernetes.io/tls', metadata: { name, namespace: ns },
    data: { 'tls.crt': Buffer.from(p.cert).toString('base64'), 'tls.key': Buffer.from(p.key).toString('base64') },
  });
  const tlsIng = (name: string, host: string, secretName: string, ann: Record<string, string> = {}) =>
    ingress(name, { tls: [{ hosts: [host], secretName }], rules: [rule(host, [['/', 'Prefix', 'a']])] }, ann);

  function tlsSetup() {
    const s = setup(
      tlsIng('shop', 'shop.example.com', 'shop-tls'),
      tlsIng('missing', 'missing.example.com', 'nope'),
      tlsIng('wrong', 'wrong.example.com', 'other-tls'),
      tlsIng('cn', 'cn.example.com', 'cn-tls'),
      tlsIng('elsewhere', 'ns.example.com', 'shop-tls-other-ns'),
      tlsIng('wild', 'a.wild.example.com', 'wild-tls'),
      tlsIng('noredirect', 'plain.example.com', 'nope', { 'nginx.ingress.kubernetes.io/ssl-redirect': 'false' }),
      ingress('force', { rules: [rule('force.example.com', [['/', 'Prefix', 'a']])] }, { 'nginx.ingress.kubernetes.io/force-ssl-redirect': 'true' }),
    );
    s.store.put(secret('shop-tls', pair));
    s.store.put(secret('other-tls', other));
    s.store.put(secret('cn-tls', cnOnly));
    s.store.put(secret('wild-tls', wild));
    s.store.put(secret('shop-tls-other-ns', pair, 'elsewhere'));
    return s;
  }

  it('serves the Secret certificate chosen by SNI when it covers the host', () => {
    const { nginx } = tlsSetup();
    const c = nginx.certificateFor('shop.example.com');
    expect(c.fake).toBe(false);
    expect(c.x509.subject).toContain('CN=shop.example.com');
    expect(nginx.certificateFor('cn.example.com').fake).toBe(false);
    expect(nginx.certificateFor('a.wild.example.com').fake).toBe(false);
  });

  it.each(['missing.example.com', 'wrong.example.com', 'ns.example.com', 'unknown.example.com'])('trap 6: %s gets the Fake Certificate', (host) => {
    const { nginx } = tlsSetup();
    const c = nginx.certificateFor(host);
    expect(c.fake).toBe(true);
    expect(c.x509.subject).toContain('CN=Kubernetes Ingress Controller Fake Certificate');
    expect(c.x509.subject).toContain('O=Acme Co');
  });

  it('says precisely why the Fake Certificate is served', () => {
    const s = tlsSetup();
    s.store.put({ apiVersion: 'v1', kind: 'Secret', type: 'Opaque', metadata: { name: 'opaque', namespace: 'default' }, data: { cert: 'eA==', key: 'eA==' } });
    s.store.put(tlsIng('opaque', 'opaque.example.com', 'opaque'));
    s.store.put(ingress('unlisted', { tls: [{ hosts: ['listed.example.com'], secretName: 'other-tls' }], rules: [rule('unlisted.example.com', [['/', 'Prefix', 'a']])] }));
    const why = (host: string) => s.nginx.certificateFor(host).why;
    expect(why('wrong.example.com')).toBe('the certificate in Secret default/other-tls does not cover wrong.example.com: it carries SANs other.example.com (CN other.example.com), so ingress-nginx serves its "Kubernetes Ingress Controller Fake Certificate"');
    expect(why('missing.example.com')).toMatch(/^Secret default\/nope does not exist \(named for missing.example.com under tls of Ingress default\/missing\)/);
    expect(why('ns.example.com')).toMatch(/^Secret shop-tls-other-ns is not in namespace default but in namespace elsewhere: an Ingress can only use a TLS Secret from its own namespace/);
    expect(why('opaque.example.com')).toMatch(/^Secret default\/opaque \(type Opaque, keys: cert, key\) has no tls.crt and tls.key; /);
    expect(why('unlisted.example.com')).toMatch(/^the tls section of Ingress default\/unlisted does not list unlisted.example.com \(tls.hosts: listed.example.com\) and none of its Secrets fits: the certificate in Secret default\/other-tls does not cover unlisted.example.com/);
    expect(why('unknown.example.com')).toMatch(/^no Ingress rule has host unknown.example.com, so ingress-nginx serves/);
  });

  it('no SNI → fake certificate', () => {
    expect(tlsSetup().nginx.certificateFor(undefined).fake).toBe(true);
  });

  it('trap 7: HTTP to a TLS host → 308 to https; ssl-redirect "false" turns it off; force-ssl-redirect forces it', () => {
    const { go, where } = tlsSetup();
    const r = go('shop.example.com', '/cart?id=3');
    expect(r.kind === 'reply' && [r.status, r.headers.location]).toEqual([308, 'https://shop.example.com/cart?id=3']);
    expect(where('missing.example.com', '/')).toBe(308);
    expect(where('plain.example.com', '/')).toBe('a');
    expect(where('force.example.com', '/')).toBe(308);
    expect(where('shop.example.com', '/', { scheme: 'https', port: 443 })).toBe('a');
  });
});

describe('ingress-nginx routing: ExternalName backends', () => {
  const backend = (svc: string, port: { number?: number; name?: string }) => ({ service: { name: svc, port } });
  const { store, nginx } = setup();
  store.put(makeService('ext-ports', { type: 'ExternalName', externalName: 'api.example.com.', ports: [{ name: 'web', port: 80, targetPort: 8443 }] }));
  store.put(makeService('ext-bare', { type: 'ExternalName', externalName: 'api.example.com' }));
  store.put(makeService('ext-named', { type: 'ExternalName', externalName: 'api.example.com', ports: [{ port: 80, targetPort: 'http' }] }));
  store.put(makeService('ext-loop', { type: 'ExternalName', externalName: '127.0.0.1' }));

  it.each([
    ['the Service port by number → its targetPort', 'ext-ports', { number: 80 }, { ok: true, port: 8443 }],
    ['the Service port by name → its targetPort', 'ext-ports', { name: 'web' }, { ok: true, port: 8443 }],
    ['no Service ports → the backend port number', 'ext-bare', { number: 9000 }, { ok: true, port: 9000 }],
    ['no Service ports and a port name: nothing to connect to', 'ext-bare', { name: 'web' }, { ok: false }],
    ['a port the Service does not have', 'ext-ports', { number: 81 }, { ok: false }],
    ['a named targetPort has no pod to name it', 'ext-named', { number: 80 }, { ok: false }],
    ['loopback is refused', 'ext-loop', { number: 80 }, { ok: false }],
  ] as [string, string, { number?: number; name?: string }, { ok: boolean; port?: number }][])('%s', (_what, svc, port, want) => {
    const r = nginx.resolveBackend('default', backend(svc, port));
    expect(r.ok).toBe(want.ok);
    if (r.ok) expect(r.endpoints).toMatchObject([{ ip: '', port: want.port, externalName: 'api.example.com' }]);
  });
});
