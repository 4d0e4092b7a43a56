import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { CERT_DEFAULT_NOT_AFTER, cliValidity, generateSelfSigned, tlsSecretManifest } from './generate.ts';
import { DEFAULT_EPOCH_MS } from '../../../util/clock.ts';
import { certificateInfo, coversHost, fakeCertificate, readTlsSecret } from './cert.ts';

const start = new Date(Date.UTC(2024, 0, 1));
const pair = generateSelfSigned({ hosts: ['shop.example.com', '*.api.example.com'], notBefore: start, days: 30 });

describe('TLS certificates', () => {
  it('the Secret manifest round-trips through readTlsSecret', () => {
    const secret = parse(tlsSecretManifest('shop-tls', pair, 'default'));
    expect(secret).toMatchObject({ kind: 'Secret', type: 'kubernetes.io/tls', metadata: { name: 'shop-tls', namespace: 'default' } });
    const c = readTlsSecret(secret, 'default/shop-tls');
    expect(c.ok).toBe(true);
  });

  it('rejects a missing Secret, missing keys, and a key that does not match', () => {
    const other = generateSelfSigned({ hosts: ['x.example.com'] });
    expect(readTlsSecret(undefined, 'ns/s')).toEqual({ ok: false, problem: 'Secret ns/s does not exist' });
    expect(readTlsSecret({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' }, data: {} }, 'ns/s')).toMatchObject({ ok: false });
    const mixed = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' }, stringData: { 'tls.crt': pair.cert, 'tls.key': other.key } };
    expect(readTlsSecret(mixed, 'ns/s')).toEqual({ ok: false, problem: 'tls.key of Secret ns/s does not belong to tls.crt' });
  });

  it('host coverage: SAN, one-label wildcards, CN only without SANs', () => {
    const c = readTlsSecret({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' }, stringData: { 'tls.crt': pair.cert, 'tls.key': pair.key } }, 's');
    if (!c.ok) throw new Error(c.problem);
    expect(coversHost(c.x509, 'shop.example.com')).toBe(true);
    expect(coversHost(c.x509, 'SHOP.example.com')).toBe(true);
    expect(coversHost(c.x509, 'v1.api.example.com')).toBe(true);
    expect(coversHost(c.x509, 'a.v1.api.example.com')).toBe(false);
    expect(coversHost(c.x509, 'api.example.com')).toBe(false);
    const cn = generateSelfSigned({ hosts: ['cn.example.com'], noSAN: true });
    const cnc = readTlsSecret({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' }, stringData: { 'tls.crt': cn.cert, 'tls.key': cn.key } }, 's');
    expect(cnc.ok && coversHost(cnc.x509, 'cn.example.com')).toBe(true);
  });

  it('CertificateInfo: validity against the (virtual) clock', () => {
    const c = readTlsSecret({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' }, stringData: { 'tls.crt': pair.cert, 'tls.key': pair.key } }, 's');
    if (!c.ok) throw new Error(c.problem);
    const day = 86_400_000;
    expect(certificateInfo(c.x509, 'shop.example.com', start.getTime() + day)).toMatchObject({ validForHost: true, fake: false, subjectAltNames: ['shop.example.com', '*.api.example.com'] });
    expect(certificateInfo(c.x509, 'shop.example.com', start.getTime() + 31 * day).validForHost).toBe(false);
    expect(certificateInfo(c.x509, 'other.example.com', start.getTime() + day).validForHost).toBe(false);
  });

  it('a certificate made without dates (npm run cert) is valid from the simulator\'s first second to 2034', () => {
    const made = generateSelfSigned({ hosts: ['now.example.com'] });
    const c = readTlsSecret({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' }, stringData: { 'tls.crt': made.cert, 'tls.key': made.key } }, 's');
    if (!c.ok) throw new Error(c.problem);
    expect(certificateInfo(c.x509, 'now.example.com', DEFAULT_EPOCH_MS).validForHost).toBe(true);
    expect(new Date(c.x509.validFrom).getTime()).toBeLessThanOrEqual(DEFAULT_EPOCH_MS);
    expect(new Date(c.x509.validTo).getTime()).toBe(CERT_DEFAULT_NOT_AFTER.getTime());
  });

  it('cliValidity: backdated to the epoch; --days only ever extends past 2034', () => {
    const today = Date.UTC(2026, 4, 1);
    expect(cliValidity(today)).toEqual({ notBefore: new Date(DEFAULT_EPOCH_MS), notAfter: CERT_DEFAULT_NOT_AFTER });
    expect(cliValidity(today, 30).notAfter).toEqual(CERT_DEFAULT_NOT_AFTER);
    expect(cliValidity(today, 10_000).notAfter).toEqual(new Date(today + 10_000 * 86_400_000));
  });

  it('the committed fake certificate is ingress-nginx\'s', () => {
    const info = certificateInfo(fakeCertificate(), 'shop.example.com', Date.UTC(2024, 5, 1));
    expect(info).toMatchObject({ fake: true, validForHost: false, subjectAltNames: ['ingress.local'] });
    expect(info.subject).toContain('O=Acme Co');
    expect(info.subject).toContain('CN=Kubernetes Ingress Controller Fake Certificate');
  });
});
