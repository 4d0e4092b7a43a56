import { describe, expect, it } from 'vitest';
import { ObjectStore } from '../../api/store.ts';
import { Rng } from '../../../util/rng.ts';
import { StoreNetworkState } from '../state.ts';
import { kindNodes, makePod, makeService, makeSlice } from '../testkit.ts';
import { CoreDns, rcodeFor } from './handler.ts';
import { LookupError } from './lookup.ts';
import { parse } from './parse.ts';
import { PodResolver, resolvConfFor, searchCandidates } from './resolver.ts';

function cluster() {
  const store = new ObjectStore();
  for (const n of kindNodes()) store.put(n);
  for (const ns of ['default', 'prod', 'kube-system']) store.put({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
  store.put(makeService('web', { clusterIP: '10.96.0.20', ports: [{ port: 80, name: 'http', targetPort: 8080 }, { port: 443, name: 'https', targetPort: 8443 }] }));
  store.put(makeSlice('web', [{ ip: '10.244.1.5', pod: 'web-abc' }], [{ name: 'http', port: 8080 }, { name: 'https', port: 8443 }]));
  store.put(makePod('web-abc', { ip: '10.244.1.5', labels: { app: 'web' } }));
  store.put(makeService('plain', { clusterIP: '10.96.0.21', ports: [{ port: 80 }] }));
  store.put(makeService('nginx', { clusterIP: 'None', ports: [{ port: 80, name: 'web' }] }));
  store.put(makeSlice('nginx', [
    { ip: '10.244.1.7', hostname: 'web-0', pod: 'web-0' },
    { ip: '10.244.2.7', hostname: 'web-1', pod: 'web-1' },
    { ip: '10.244.3.7', hostname: 'web-2', pod: 'web-2', ready: false },
  ], [{ name: 'web', port: 80 }]));
  store.put(makeService('dep', { clusterIP: 'None', ports: [{ port: 80 }] }));
  store.put(makeSlice('dep', [{ ip: '10.244.1.9', pod: 'dep-xyz' }], [{ port: 80 }]));
  store.put(makeService('empty', { clusterIP: 'None', ports: [{ port: 80 }] }));
  store.put(makeSlice('empty', [{ ip: '10.244.1.10', ready: false }], [{ port: 80 }]));
  store.put(makeService('ext', { type: 'ExternalName', externalName: 'www.example.com' }));
  store.put(makeService('extdb', { type: 'ExternalName', externalName: 'nowhere.invalid' }));
  store.put(makeService('alias', { type: 'ExternalName', externalName: 'web.default.svc.cluster.local' }));
  store.put(makeService('db', { clusterIP: '10.96.5.5', ports: [{ port: 3306 }] }, { namespace: 'prod' }));
  // CoreDNS itself: queries to 10.96.0.10 need a ready endpoint behind kube-dns.
  store.put(makeService('kube-dns', { clusterIP: '10.96.0.10', ports: [{ port: 53, name: 'dns', protocol: 'UDP' }] }, { namespace: 'kube-system' }));
  store.put(makeSlice('kube-dns', [{ ip: '10.244.0.2', pod: 'coredns-a', node: 'kind-control-plane' }, { ip: '10.244.0.3', pod: 'coredns-b', node: 'kind-control-plane' }], [{ name: 'dns', port: 53, protocol: 'UDP' }], { namespace: 'kube-system' }));
  const state = new StoreNetworkState(store);
  const dns = new CoreDns(state, 'cluster.local', new Rng(1));
  return { store, state, dns };
}

const Z = 'svc.cluster.local.';

describe('DNS parse', () => {
  it.each([
    ['web.default.svc.cluster.local', { kind: 'service', service: 'web', namespace: 'default' }],
    ['WEB.Default.SVC.cluster.local.', { kind: 'service', service: 'web', namespace: 'default' }],
    ['web-0.nginx.default.svc.cluster.local', { kind: 'endpoint', endpoint: 'web-0', service: 'nginx', namespace: 'default' }],
    ['_http._tcp.web.default.svc.cluster.local', { kind: 'srv', port: 'http', protocol: 'tcp', service: 'web', namespace: 'default' }],
    ['10-244-1-5.default.pod.cluster.local', { kind: 'pod', ip: '10-244-1-5', namespace: 'default' }],
    ['5.1.244.10.in-addr.arpa.', { kind: 'ptr', ip: '10.244.1.5' }],
    ['default.svc.cluster.local', { kind: 'namespace', namespace: 'default' }],
    ['cluster.local', { kind: 'zone' }],
    ['example.com', { kind: 'external', name: 'example.com' }],
    ['a.b.c.d.e.svc.cluster.local', { kind: 'invalid' }],
    ['web.default.xyz.cluster.local', { kind: 'invalid' }],
  ])('%s', (q, want) => {
    expect(parse(q, 'cluster.local')).toMatchObject(want);
  });
});

describe('CoreDNS answers (kubernetes plugin, kubeadm Corefile)', () => {
  const { dns } = cluster();
  const table: { q: string; t: 'A' | 'SRV' | 'CNAME' | 'PTR' | 'AAAA' | 'TXT'; rcode: string; answer: string[] }[] = [
    { q: `web.default.${Z}`, t: 'A', rcode: 'NOERROR', answer: ['A 10.96.0.20'] },
    { q: `Web.DEFAULT.${Z}`, t: 'A', rcode: 'NOERROR', answer: ['A 10.96.0.20'] },
    { q: `web.default.${Z}`, t: 'AAAA', rcode: 'NOERROR', answer: [] },
    { q: `nope.default.${Z}`, t: 'A', rcode: 'NXDOMAIN', answer: [] },
    { q: `web.nons.${Z}`, t: 'A', rcode: 'NXDOMAIN', answer: [] },
    { q: `nginx.default.${Z}`, t: 'A', rcode: 'NOERROR', answer: ['A 10.244.1.7', 'A 10.244.2.7'] },
    { q: `empty.default.${Z}`, t: 'A', rcode: 'NXDOMAIN', answer: [] },
    { q: `web-0.nginx.default.${Z}`, t: 'A', rcode: 'NOERROR', answer: ['A 10.244.1.7'] },
    { q: `web-2.nginx.default.${Z}`, t: 'A', rcode: 'NXDOMAIN', answer: [] },
    { q: `10-244-1-7.nginx.default.${Z}`, t: 'A', rcode: 'NXDOMAIN', answer: [] },
    { q: `dep-xyz.dep.default.${Z}`, t: 'A', rcode: 'NXDOMAIN', answer: [] },
    { q: `10-244-1-9.dep.default.${Z}`, t: 'A', rcode: 'NOERROR', answer: ['A 10.244.1.9'] },
    { q: `_http._tcp.web.default.${Z}`, t: 'SRV', rcode: 'NOERROR', answer: [`SRV 0 100 80 web.default.${Z}`] },
    { q: `_http._udp.web.default.${Z}`, t: 'SRV', rcode: 'NXDOMAIN', answer: [] },
    { q: `_http._tcp.plain.default.${Z}`, t: 'SRV', rcode: 'NXDOMAIN', answer: [] },
    { q: `web.default.${Z}`, t: 'SRV', rcode: 'NOERROR', answer: [`SRV 0 50 80 web.default.${Z}`, `SRV 0 50 443 web.default.${Z}`] },
    { q: `_web._tcp.nginx.default.${Z}`, t: 'SRV', rcode: 'NOERROR', answer: [`SRV 0 50 80 web-0.nginx.default.${Z}`, `SRV 0 50 80 web-1.nginx.default.${Z}`] },
    { q: `ext.default.${Z}`, t: 'A', rcode: 'NOERROR', answer: ['CNAME www.example.com.', 'A 93.184.215.14'] },
    { q: `ext.default.${Z}`, t: 'CNAME', rcode: 'NOERROR', answer: ['CNAME www.example.com.'] },
    { q: `extdb.default.${Z}`, t: 'A', rcode: 'NOERROR', answer: ['CNAME nowhere.invalid.'] },
    { q: `alias.default.${Z}`, t: 'A', rcode: 'NOERROR', answer: ['CNAME web.default.svc.cluster.local.', 'A 10.96.0.20'] },
    { q: '10-244-9-9.default.pod.cluster.local.', t: 'A', rcode: 'NOERROR', answer: ['A 10.244.9.9'] },
    { q: '10-244-9-9.nons.pod.cluster.local.', t: 'A', rcode: 'NXDOMAIN', answer: [] },
    { q: 'web.default.pod.cluster.local.', t: 'A', rcode: 'NXDOMAIN', answer: [] },
    { q: '20.0.96.10.in-addr.arpa.', t: 'PTR', rcode: 'NOERROR', answer: [`PTR web.default.${Z}`] },
    { q: '7.1.244.10.in-addr.arpa.', t: 'PTR', rcode: 'NOERROR', answer: [`PTR web-0.nginx.default.${Z}`] },
    { q: '99.99.99.10.in-addr.arpa.', t: 'PTR', rcode: 'NXDOMAIN', answer: [] },
    { q: `default.${Z}`, t: 'A', rcode: 'NOERROR', answer: [] },
    { q: `nons.${Z}`, t: 'A', rcode: 'NXDOMAIN', answer: [] },
    { q: 'example.com.', t: 'A', rcode: 'NOERROR', answer: ['A 93.184.215.14'] },
    { q: 'kubernetes.io.', t: 'A', rcode: 'NXDOMAIN', answer: [] },
  ];
  it.each(table)('$q $t → $rcode $answer', ({ q, t, rcode, answer }) => {
    const a = dns.serve(q, t);
    expect(a.rcode).toBe(rcode);
    const got = a.answers.map((r) => `${r.type} ${r.data}`);
    // loadbalance shuffles A records: compare CNAMEs in order, the rest as sets
    expect(got.filter((x) => x.startsWith('CNAME'))).toEqual(answer.filter((x) => x.startsWith('CNAME')));
    expect(got.filter((x) => !x.startsWith('CNAME')).sort()).toEqual(answer.filter((x) => !x.startsWith('CNAME')).sort());
    for (const r of a.answers) expect(r.ttl).toBe(30);
  });

  it('maps named errors in one place', () => {
    expect(rcodeFor(LookupError.noRecordsOfType)).toEqual({ rcode: 'NOERROR', nodata: true });
    expect(rcodeFor(LookupError.noReadyEndpoints)).toEqual({ rcode: 'NXDOMAIN', nodata: false });
  });

  it('loadbalance shuffles A records (seeded), keeping the same set', () => {
    const orders = new Set<string>();
    for (let i = 0; i < 30; i++) orders.add(dns.serve(`nginx.default.${Z}`, 'A').answers.map((a) => a.data).join(','));
    expect(orders.size).toBe(2);
  });

  it('answers with the name as asked', () => {
    expect(dns.serve('Web.Default.svc.cluster.local', 'A').answers[0]!.name).toBe('Web.Default.svc.cluster.local.');
  });
});

describe('pod resolver: resolv.conf and the search path', () => {
  const cfg = { dnsServiceIP: '10.96.0.10', clusterDomain: 'cluster.local' };
  const { dns } = cluster();
  const r = new PodResolver(dns, cfg);
  const inDefault = resolvConfFor('default', {}, cfg);
  const inProd = resolvConfFor('prod', {}, cfg);

  it('ClusterFirst writes the cluster nameserver, namespace search path and ndots:5', () => {
    expect(inProd).toMatchObject({ nameservers: ['10.96.0.10'], searches: ['prod.svc.cluster.local', 'svc.cluster.local', 'cluster.local'], ndots: 5 });
  });

  it('dnsPolicy None uses only dnsConfig', () => {
    const c = resolvConfFor('default', { dnsPolicy: 'None', dnsConfig: { nameservers: ['192.0.2.1'], searches: ['ns1.svc.cluster-domain.example', 'my.dns.search.suffix'], options: [{ name: 'ndots', value: '2' }, { name: 'edns0' }] } }, cfg);
    expect(c).toMatchObject({ nameservers: ['192.0.2.1'], searches: ['ns1.svc.cluster-domain.example', 'my.dns.search.suffix'], ndots: 2, options: ['ndots:2', 'edns0'] });
    const res = r.resolve(c, 'web.default.svc.cluster.local', 'A', 'pod');
    expect(res.rcode).toBe('SERVFAIL');
  });

  it('Default and hostNetwork use the node resolver: no cluster names', () => {
    const c = resolvConfFor('default', { dnsPolicy: 'Default' }, cfg);
    expect(r.resolve(c, 'web.default.svc.cluster.local', 'A', 'pod').rcode).toBe('NXDOMAIN');
    expect(r.resolve(c, 'example.com', 'A', 'pod').answers[0]!.data).toBe('93.184.215.14');
    expect(resolvConfFor('default', { hostNetwork: true }, cfg).nameservers).toEqual(['172.18.0.1']);
    expect(resolvConfFor('default', { hostNetwork: true, dnsPolicy: 'ClusterFirstWithHostNet' }, cfg).nameservers).toEqual(['10.96.0.10']);
  });

  it('search candidates follow ndots', () => {
    expect(searchCandidates('web', inDefault)).toEqual(['web.default.svc.cluster.local.', 'web.svc.cluster.local.', 'web.cluster.local.', 'web.']);
    expect(searchCandidates('a.b.c.d.e.f', inDefault)[0]).toBe('a.b.c.d.e.f.');
    expect(searchCandidates('a.b.c.d.e', inDefault)[0]).toBe('a.b.c.d.e.default.svc.cluster.local.');
    expect(searchCandidates('web.default.svc.cluster.local.', inDefault)).toEqual(['web.default.svc.cluster.local.']);
  });

  it.each([
    ['default', 'web', 'NOERROR', '10.96.0.20', 'web.default.svc.cluster.local.'],
    ['prod', 'web', 'NXDOMAIN', undefined, undefined],
    ['prod', 'web.default', 'NOERROR', '10.96.0.20', 'web.default.svc.cluster.local.'],
    ['default', 'db', 'NXDOMAIN', undefined, undefined],
    ['default', 'db.prod', 'NOERROR', '10.96.5.5', 'db.prod.svc.cluster.local.'],
    ['prod', 'db', 'NOERROR', '10.96.5.5', 'db.prod.svc.cluster.local.'],
    ['default', 'web.default.svc.cluster.local', 'NOERROR', '10.96.0.20', 'web.default.svc.cluster.local.'],
    ['default', 'example.com', 'NOERROR', '93.184.215.14', 'example.com.'],
    ['default', 'google.com', 'NXDOMAIN', undefined, undefined],
  ] as const)('from %s, %s → %s %s', (ns, name, rcode, ip, qname) => {
    const res = r.resolve(ns === 'default' ? inDefault : inProd, name, 'A', `pod ${ns}/client`);
    expect(res.rcode).toBe(rcode);
    expect(res.answers.find((a) => a.type === 'A')?.data).toBe(ip);
    expect(res.qname).toBe(qname ?? res.qname);
  });

  it('tries the cluster search domains before an outside name (ndots:5)', () => {
    const res = r.resolve(inDefault, 'example.com', 'A', 'pod');
    const tried = res.trace.filter((h) => / A → /.test(h.detail)).map((h) => h.detail.split(' ')[0]);
    expect(tried).toEqual(['example.com.default.svc.cluster.local.', 'example.com.svc.cluster.local.', 'example.com.cluster.local.', 'example.com.']);
  });

  it('hostAliases answer before DNS', () => {
    const c = resolvConfFor('default', { hostAliases: [{ ip: '10.1.2.3', hostnames: ['foo.remote'] }] }, cfg);
    expect(r.resolve(c, 'foo.remote', 'A', 'pod').answers[0]!.data).toBe('10.1.2.3');
  });
});

describe('pod resolver: CoreDNS reached through the kube-dns Service', () => {
  const cfg = { dnsServiceIP: '10.96.0.10', clusterDomain: 'cluster.local' };
  const conf = resolvConfFor('default', {}, cfg);
  const dnsSlice = (ready: boolean[]) =>
    makeSlice('kube-dns', ready.map((r, i) => ({ ip: `10.244.0.${i + 2}`, pod: `coredns-${i}`, ready: r })), [{ name: 'dns', port: 53, protocol: 'UDP' }], { namespace: 'kube-system' });

  it.each([
    { ready: [true, false], rcode: 'NOERROR', why: 'one ready CoreDNS pod is enough: retries reach it' },
    { ready: [false, false], rcode: 'SERVFAIL', why: 'no ready CoreDNS pod: the query times out' },
    { ready: [], rcode: 'SERVFAIL', why: 'CoreDNS scaled to zero: nothing behind the ClusterIP' },
  ])('$why', ({ ready, rcode }) => {
    const { store, dns } = cluster();
    store.put(dnsSlice(ready));
    const res = new PodResolver(dns, cfg).resolve(conf, 'web', 'A', 'pod');
    expect(res.rcode).toBe(rcode);
    if (rcode === 'SERVFAIL') expect(res.trace.map((h) => h.detail).join('\n')).toContain('nameserver 10.96.0.10 does not answer (timed out)');
  });

  it('answers again once CoreDNS is ready (the cached timeout is dropped on the write)', () => {
    const { store, dns } = cluster();
    const r = new PodResolver(dns, cfg);
    store.put(dnsSlice([false]));
    expect(r.resolve(conf, 'web', 'A', 'pod').rcode).toBe('SERVFAIL');
    store.put(dnsSlice([true]));
    expect(r.resolve(conf, 'web', 'A', 'pod').answers.map((a) => a.data)).toEqual(['10.96.0.20']);
  });
});

describe('pod resolver cache', () => {
  const cfg = { dnsServiceIP: '10.96.0.10', clusterDomain: 'cluster.local' };

  it('answers again after a write: a Service created after an NXDOMAIN resolves', () => {
    const { store, dns } = cluster();
    const r = new PodResolver(dns, cfg);
    const conf = resolvConfFor('default', {}, cfg);
    expect(r.resolve(conf, 'late', 'A', 'pod').rcode).toBe('NXDOMAIN');
    expect(r.resolve(conf, 'late', 'A', 'pod').rcode).toBe('NXDOMAIN');
    store.put(makeService('late', { clusterIP: '10.96.0.99', ports: [{ port: 80 }] }));
    expect(r.resolve(conf, 'late', 'A', 'pod').answers.map((a) => a.data)).toEqual(['10.96.0.99']);
  });

  it('hands out copies: changing one answer does not change the next', () => {
    const { dns } = cluster();
    const r = new PodResolver(dns, cfg);
    const conf = resolvConfFor('default', {}, cfg);
    const a = r.resolve(conf, 'web', 'A', 'pod');
    a.trace.length = 0;
    a.answers.length = 0;
    const b = r.resolve(conf, 'web', 'A', 'pod');
    expect(b.answers.map((x) => x.data)).toEqual(['10.96.0.20']);
    expect(b.trace.length).toBeGreaterThan(1);
  });

  it('never replays a shuffled answer: each query of a headless name draws again', () => {
    const { dns } = cluster();
    const r = new PodResolver(dns, cfg);
    const conf = resolvConfFor('default', {}, cfg);
    const orders = new Set<string>();
    for (let i = 0; i < 30; i++) orders.add(r.resolve(conf, 'nginx', 'A', 'pod').answers.map((a) => a.data).join(','));
    expect(orders.size).toBe(2);
  });
});
