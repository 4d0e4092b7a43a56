import { describe, expect, it } from 'vitest';
import { NamespaceMap } from './namespaces.ts';

const known = new Set(['default', 'prod', 'dev']);

describe('NamespaceMap', () => {
  const m = new NamespaceMap('kl-alice');

  it('maps default and named namespaces, and back', () => {
    expect(m.real(undefined)).toBe('kl-alice');
    expect(m.real('default')).toBe('kl-alice');
    expect(m.real('prod')).toBe('kl-alice-prod');
    expect(m.logical('kl-alice-prod')).toBe('prod');
    expect(m.logical('kl-alice')).toBe('default');
  });

  it.each([
    ['web', 'web'],
    ['web.prod', 'web.kl-alice-prod'],
    ['web.default.svc.cluster.local', 'web.kl-alice.svc.cluster.local'],
    ['mongo-0.mongo.default.svc.cluster.local.', 'mongo-0.mongo.kl-alice.svc.cluster.local.'],
    ['_mongo._tcp.mongo.dev.svc.cluster.local', '_mongo._tcp.mongo.kl-alice-dev.svc.cluster.local'],
    ['10-244-1-5.prod.pod.cluster.local', '10-244-1-5.kl-alice-prod.pod.cluster.local'],
    ['example.com', 'example.com'],
    ['web.other', 'web.other'],
  ])('rewrites DNS name %s', (input, out) => {
    expect(m.rewriteName(input, known)).toBe(out);
  });

  it('places objects in their real namespace and rewrites names in env values, not in metadata', () => {
    const o = m.rewriteObject({
      apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web.prod-like', namespace: 'prod' },
      spec: { template: { spec: { containers: [{ name: 'c', image: 'docker.io/library/wordpress:6', env: [{ name: 'DB', value: 'mysql.default.svc.cluster.local:3306' }] }] } } },
    }, known);
    expect(o.metadata).toEqual({ name: 'web.prod-like', namespace: 'kl-alice-prod' });
    expect(o.spec.template.spec.containers[0].env[0].value).toBe('mysql.kl-alice.svc.cluster.local:3306');
    expect(o.spec.template.spec.containers[0].image).toBe('docker.io/library/wordpress:6');
  });

  it('rejects a prefix that is not a DNS label', () => {
    expect(() => new NamespaceMap('Bad_Prefix')).toThrow(/DNS label/);
  });
});
