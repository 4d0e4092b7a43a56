/**
 * Reading TLS Secrets and certificates the way ingress-nginx does (internal/ingress/controller
 * /controller.go createServers + internal/net/ssl): a `tls.crt`/`tls.key` pair whose key
 * matches, covering the host by SAN (or by CN when the certificate has no SAN extension),
 * wildcards matching exactly one label. Expiry is not checked by the controller (an expired
 * certificate is still served); the client sees it as invalid, which CertificateInfo reports.
 */
import { X509Certificate, createPrivateKey } from 'node:crypto';
import type { CertificateInfo } from '../../../backend/types.ts';
import type { KubeObject } from '../../api/types.ts';
import { FAKE_CERT_PEM, FAKE_CERT_SUBJECT_CN } from './fake-cert.ts';

export type SecretCert = { ok: true; x509: X509Certificate; pem: string } | { ok: false; problem: string };

function secretValue(secret: KubeObject, key: string): string | undefined {
  const sd = secret.stringData as Record<string, string> | undefined;
  if (sd?.[key]) return sd[key];
  const d = secret.data as Record<string, string> | undefined;
  if (d?.[key]) return Buffer.from(d[key]!, 'base64').toString('utf8');
  return undefined;
}

/**
 * Parse a Secret's certificate as the controller's store does (store.go syncSecret →
 * getPEMCertificate): it needs the keys tls.crt and tls.key, whatever the Secret's type; a
 * Secret without them gives no certificate. The problem names the type and the keys found,
 * since the usual cause is an Opaque Secret made by hand with other key names.
 */
export function readTlsSecret(secret: KubeObject | undefined, ref: string): SecretCert {
  if (!secret) return { ok: false, problem: `Secret ${ref} does not exist` };
  const crt = secretValue(secret, 'tls.crt');
  const key = secretValue(secret, 'tls.key');
  if (!crt || !key) {
    const keys = [...new Set([...Object.keys((secret.data ?? {}) as object), ...Object.keys((secret.stringData ?? {}) as object)])].sort();
    const type = String(secret.type ?? 'Opaque');
    const missing = [!crt && 'tls.crt', !key && 'tls.key'].filter(Boolean).join(' and ');
    return {
      ok: false,
      problem: `Secret ${ref} (type ${type}, keys: ${keys.join(', ') || 'none'}) has no ${missing}; ingress-nginx reads the certificate and key only from the keys tls.crt and tls.key, as a kubernetes.io/tls Secret (kubectl create secret tls) holds them`,
    };
  }
  let x509: X509Certificate;
  try {
    x509 = new X509Certificate(crt);
  } catch {
    return { ok: false, problem: `tls.crt of Secret ${ref} is not a PEM certificate` };
  }
  try {
    if (!x509.checkPrivateKey(createPrivateKey(key))) return { ok: false, problem: `tls.key of Secret ${ref} does not belong to tls.crt` };
  } catch {
    return { ok: false, problem: `tls.key of Secret ${ref} is not a PEM private key` };
  }
  return { ok: true, x509, pem: crt };
}

/** The DNS names a certificate carries: its SANs, else its CN (what checkHost falls back to). */
export function certificateNames(x509: X509Certificate): { sans: string[]; cn?: string } {
  const sans = (x509.subjectAltName ?? '').split(',').map((x) => x.trim()).filter((x) => x.startsWith('DNS:')).map((x) => x.slice(4));
  const cn = /(?:^|\n)CN=([^\n]*)/.exec(x509.subject)?.[1];
  return { sans, cn };
}

/** "SANs a.com, *.b.com (CN a.com)" / "no SANs, CN a.com" — for messages. */
export function describeNames(x509: X509Certificate): string {
  const { sans, cn } = certificateNames(x509);
  if (sans.length) return `SANs ${sans.join(', ')}${cn ? ` (CN ${cn})` : ''}`;
  return cn ? `no SANs, CN ${cn}` : 'no SANs and no CN';
}

/** SAN (or CN without SANs) covers the host; `*.foo.com` covers one label only. */
export function coversHost(x509: X509Certificate, host: string): boolean {
  try {
    return x509.checkHost(host.toLowerCase()) !== undefined;
  } catch {
    return false;
  }
}

let fake: X509Certificate | undefined;
export function fakeCertificate(): X509Certificate {
  return (fake ??= new X509Certificate(FAKE_CERT_PEM));
}

const oneLine = (dn: string) => dn.split('\n').filter(Boolean).join(', ');

export function certificateInfo(x509: X509Certificate, host: string, nowMs: number, fakeReason?: string): CertificateInfo {
  const from = new Date(x509.validFrom).getTime();
  const to = new Date(x509.validTo).getTime();
  const { sans } = certificateNames(x509);
  return {
    subject: oneLine(x509.subject),
    issuer: oneLine(x509.issuer),
    subjectAltNames: sans,
    validFrom: new Date(from).toISOString(),
    validTo: new Date(to).toISOString(),
    validForHost: coversHost(x509, host) && nowMs >= from && nowMs <= to,
    fake: x509.subject.includes(`CN=${FAKE_CERT_SUBJECT_CN}`),
    fingerprint256: x509.fingerprint256,
    checkedAt: new Date(nowMs).toISOString(),
    ...(fakeReason ? { fakeReason } : {}),
  };
}
