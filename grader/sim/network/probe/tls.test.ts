/**
 * HTTPS through ingress-nginx end to end: the certificate the probe reports carries the
 * controller's reason for falling back to its fake certificate and the time it was checked,
 * so the http check can say what is wrong (host not covered, Secret missing or elsewhere,
 * wrong keys, expired, not yet valid) instead of one generic sentence.
 */
import { describe, expect, it } from 'vitest';
import { SimCluster } from '../../cluster.ts';
import type { KubeObject } from '../../api/types.ts';
import { certificateProblem } from '../../../checks/http/http.ts';
import { generateSelfSigned } from '../tls/generate.ts';

const doc = (object: KubeObject) => ({ object, file: 'test.yaml', line: 1 });
const labels = { app: 'web' };
const b64 = (s: string) => Buffer.from(s).toString('base64');
const tlsSecret = (name: string, p: { cert: string; key: string }, ns = 'default', type = 'kubernetes.io/tls', keys = ['tls.crt', 'tls.key']): KubeObject => ({
  apiVersion: 'v1', kind: 'Secret', type, metadata: { name, namespace: ns }, data: { [keys[0]!]: b64(p.cert), [keys[1]!]: b64(p.key) },
});
const ing = (host: string, secretName: string): KubeObject => ({
  apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name: host.split('.')[0]!, namespace: 'default' },
  spec: { ingressClassName: 'nginx', tls: [{ hosts: [host], secretName }], rules: [{ host, http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'web', port: { number: 80 } } } }] } }] },
});

const good = generateSelfSigned({ hosts: ['good.example.com'] });
const other = generateSelfSigned({ hosts: ['other.example.com'] });
const future = generateSelfSigned({ hosts: ['future.example.com'], notBefore: new Date(Date.UTC(2030, 0, 1)), days: 365 });
const expired = generateSelfSigned({ hosts: ['expired.example.com'], notBefore: new Date(Date.UTC(2020, 0, 1)), days: 30 });

function cluster(): SimCluster {
  const c = new SimCluster({ seed: 9 });
  const objects: KubeObject[] = [
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'certs' } },
    {
      apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'default' },
      spec: { replicas: 1, selector: { matchLabels: labels }, template: { metadata: { labels }, spec: { containers: [{ name: 'web', image: 'traefik/whoami', ports: [{ containerPort: 80 }] }] } } },
    },
    { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'default' }, spec: { selector: labels, ports: [{ port: 80 }] } },
    tlsSecret('good-tls', good), ing('good.example.com', 'good-tls'),
    tlsSecret('other-tls', other), ing('wrong.example.com', 'other-tls'),
    ing('missing.example.com', 'nope-tls'),
    tlsSecret('away-tls', good, 'certs'), ing('away.example.com', 'away-tls'),
    tlsSecret('opaque-tls', good, 'default', 'Opaque', ['cert.pem', 'key.pem']), ing('opaque.example.com', 'opaque-tls'),
    tlsSecret('future-tls', future), ing('future.example.com', 'future-tls'),
    tlsSecret('expired-tls', expired), ing('expired.example.com', 'expired-tls'),
  ];
  expect(c.apply(objects.map(doc)).failed).toEqual([]);
  expect(c.waitForRollout(300).complete).toBe(true);
  return c;
}

describe('HTTPS certificate problems, end to end', () => {
  const c = cluster();
  const problem = (host: string) => {
    const r = c.net.http({ from: { kind: 'external' }, url: `https://${host}/`, connectTo: '127.0.0.1' });
    expect(r.ok).toBe(true);
    return r.ok ? certificateProblem(r.certificate, host) : r.error;
  };

  it('a good certificate made by the cert tool passes', () => {
    expect(problem('good.example.com')).toBeUndefined();
  });

  it('a certificate that does not name the host: its SANs and the fake certificate are named', () => {
    expect(problem('wrong.example.com')).toBe(
      'ingress-nginx served its default "Kubernetes Ingress Controller Fake Certificate" for wrong.example.com: the certificate in Secret default/other-tls does not cover wrong.example.com: it carries SANs other.example.com (CN other.example.com)',
    );
  });

  it('Secret missing, in another namespace, with the wrong keys: each says so', () => {
    expect(problem('missing.example.com')).toContain('Secret default/nope-tls does not exist');
    expect(problem('away.example.com')).toContain('Secret away-tls is not in namespace default but in namespace certs');
    expect(problem('opaque.example.com')).toContain('Secret default/opaque-tls (type Opaque, keys: cert.pem, key.pem) has no tls.crt and tls.key');
  });

  it('not yet valid and expired are told apart, with the clock reading', () => {
    expect(problem('future.example.com')).toMatch(/^the certificate for future\.example\.com is not valid yet: its validity starts 2030-01-01T00:00:00\.000Z, and the clock reads 2024-/);
    expect(problem('expired.example.com')).toMatch(/^the certificate for expired\.example\.com has expired: its validity ended 2020-01-31T00:00:00\.000Z, and the clock reads 2024-/);
  });
});
