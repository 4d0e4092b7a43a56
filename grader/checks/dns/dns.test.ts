import { describe, expect, it } from 'vitest';
import { runOne } from '../fixtures/run-check.ts';
import type { DnsResult } from '../../backend/types.ts';

const answer = (ip: string): DnsResult => ({ rcode: 'NOERROR', answers: [{ name: 'web.default.svc.cluster.local.', type: 'A', ttl: 30, data: ip }], trace: [{ component: 'dns', detail: 'coredns' }] });

describe('dns check', () => {
  it('passes when every name resolves to the Service ClusterIP, with a trace per name', async () => {
    const r = await runOne({ type: 'dns', names: ['web', 'web.default', 'web.default.svc.cluster.local'], expect: { serviceIP: { name: 'web' } } });
    expect(r.status).toBe('pass');
    expect(r.message).toBe('web, web.default, web.default.svc.cluster.local resolved to 10.96.0.12 (the ClusterIP of Service default/web)');
    expect(r.evidence).toHaveLength(3);
    expect(r.evidence[0]!.trace?.length).toBeGreaterThan(0);
  });
  it('names both IPs when the answer is not the ClusterIP', async () => {
    const r = await runOne({ type: 'dns', names: ['web.default'], expect: { serviceIP: { name: 'web' } } }, { overrides: { dns: () => answer('10.96.4.7') } });
    expect(r.status).toBe('fail');
    expect(r.message).toBe('web.default resolved to 10.96.4.7, but Service default/web has ClusterIP 10.96.0.12');
  });
  it('explains NXDOMAIN for a short name asked from another namespace', async () => {
    const r = await runOne({ type: 'dns', from: { pod: { namespace: 'default' } }, names: ['db'], expect: { readyEndpointsOf: { name: 'db', namespace: 'data' } } });
    expect(r.status).toBe('fail');
    expect(r.message).toBe('NXDOMAIN for db from namespace default: short names only resolve in their own namespace, and Service db is in namespace data (use db.data)');
  });
  it('explains NXDOMAIN for a name no Service has', async () => {
    const r = await runOne({ type: 'dns', names: ['wordpress'], expect: { serviceIP: { name: 'wordpress' } } });
    expect(r.message).toBe('NXDOMAIN for wordpress from namespace default: no Service named wordpress exists in any namespace');
  });
  it('compares a headless name with the ready endpoints', async () => {
    const objects = (await import('../fixtures/fake-backend.ts')).webApp();
    const svc = objects.find((o) => o.kind === 'Service' && o.metadata.name === 'web')!;
    svc.spec.clusterIP = 'None';
    const ok = await runOne({ type: 'dns', names: ['web'], expect: { readyEndpointsOf: { name: 'web' } } }, { objects });
    expect(ok.status).toBe('pass');
    expect(ok.message).toContain('resolved to the 3 ready endpoint(s) of Service default/web (10.244.1.5, 10.244.2.6, 10.244.2.7)');
    const asClusterIP = await runOne({ type: 'dns', names: ['web'], expect: { serviceIP: { name: 'web' } } }, { objects });
    expect(asClusterIP.message).toContain('is headless (clusterIP: None)');
    const stale = await runOne({ type: 'dns', names: ['web'], expect: { readyEndpointsOf: { name: 'web' } } }, { objects, overrides: { dns: () => answer('10.244.9.9') } });
    expect(stale.message).toBe('web resolved to 10.244.9.9, but the ready endpoints of Service default/web are 10.244.1.5, 10.244.2.6, 10.244.2.7');
  });
  it('checks that a name must not resolve', async () => {
    expect((await runOne({ type: 'dns', names: ['nothing'], expect: { rcode: 'NXDOMAIN' } })).status).toBe('pass');
    const r = await runOne({ type: 'dns', names: ['web'], expect: { rcode: 'NXDOMAIN' } });
    expect(r.status).toBe('fail');
    expect(r.message).toContain('web resolved from namespace default (NOERROR: 10.96.0.12), but it should not resolve');
  });
  it('checks pod IPs, CNAMEs, SRV records and counts', async () => {
    const pod = await runOne({ type: 'dns', names: ['web-a.web'], expect: { podIP: { name: 'web-a' } } }, { overrides: { dns: () => answer('10.244.1.5') } });
    expect(pod.status).toBe('pass');
    const wrongPod = await runOne({ type: 'dns', names: ['web-a.web'], expect: { podIP: { name: 'web-b' } } }, { overrides: { dns: () => answer('10.244.1.5') } });
    expect(wrongPod.message).toBe('web-a.web resolved to 10.244.1.5, but pod default/web-b has IP 10.244.2.6');
    const cname: DnsResult = { rcode: 'NOERROR', answers: [{ name: 'ext.default.svc.cluster.local.', type: 'CNAME', ttl: 30, data: 'api.example.com.' }], trace: [] };
    expect((await runOne({ type: 'dns', names: ['ext'], qtype: 'CNAME', expect: { cname: 'api.example.com' } }, { overrides: { dns: () => cname } })).status).toBe('pass');
    const badCname = await runOne({ type: 'dns', names: ['ext'], qtype: 'CNAME', expect: { cname: 'other.example.com' } }, { overrides: { dns: () => cname } });
    expect(badCname.message).toBe('ext is a CNAME to api.example.com, expected a CNAME to other.example.com');
    const srv: DnsResult = { rcode: 'NOERROR', answers: [{ name: '_http._tcp.web', type: 'SRV', ttl: 30, data: '0 100 80 web.default.svc.cluster.local.' }], trace: [] };
    expect((await runOne({ type: 'dns', names: ['_http._tcp.web'], qtype: 'SRV', expect: { srv: ['80 web.default.svc.cluster.local'] } }, { overrides: { dns: () => srv } })).status).toBe('pass');
    const badSrv = await runOne({ type: 'dns', names: ['_http._tcp.web'], qtype: 'SRV', expect: { srv: ['8080 web.default.svc.cluster.local'] } }, { overrides: { dns: () => srv } });
    expect(badSrv.message).toContain('has SRV records 80 web.default.svc.cluster.local, expected 8080 web.default.svc.cluster.local');
    const count = await runOne({ type: 'dns', names: ['web'], expect: { count: 2 } });
    expect(count.message).toBe('web has 1 A record(s) (10.96.0.12), expected 2');
  });
  it('refuses to ask DNS from outside the cluster', async () => {
    const r = await runOne({ type: 'dns', from: 'external', names: ['web'], expect: { serviceIP: { name: 'web' } } });
    expect(r.status).toBe('error');
    expect(r.message).toContain('from inside a pod');
  });
});

describe('NXDOMAIN explanations', () => {
  it('explains per-pod names and SRV names of named ports', async () => {
    const { explainNxdomain } = await import('./dns.ts');
    const { FakeBackend, webApp } = await import('../fixtures/fake-backend.ts');
    const b = new FakeBackend(webApp());
    expect(await explainNxdomain(b, 'web-9.web', 'default')).toContain('Service default/web exists, but no pod is published under it as web-9');
    expect(await explainNxdomain(b, 'web-0.web.default.svc.cluster.local', 'default')).toContain('no pod is published under it as web-0');
    expect(await explainNxdomain(b, '_metrics._tcp.web.default.svc.cluster.local', 'default')).toBe('Service default/web has no port named metrics (its ports are named http): SRV records exist only for named ports');
    expect(await explainNxdomain(b, '_mysql._tcp.db.data.svc.cluster.local', 'default')).toBe('Service data/db has no port named mysql (its ports have no names): SRV records exist only for named ports');
    expect(await explainNxdomain(b, 'web.prod', 'default')).toBe('there is no Service web in namespace prod (a Service web exists in namespace default)');
    expect(await explainNxdomain(b, 'db.data.svc.cluster.local', 'default')).toBe('Service data/db exists, but the DNS server has no record for db.data.svc.cluster.local');
  });
});
