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

/** Parse a Secret's certificate as the controller's store does. */
export function readTlsSecret(secret: KubeObject | undefined, ref: string): SecretCert {
  if (!secret) return { ok: false, problem: `secret ${ref} does not exist` };
  const crt = secretValue(secret, 'tls.crt');
  const key = secretValue(secret, 'tls.key');
  if (!crt || !key) return { ok: false, problem: `secret ${ref} has no tls.crt and tls.key` };
  let x509: X509Certificate;
  try {
    x509 = new X509Certificate(crt);
  } catch {
    return { ok: false, problem: `tls.crt of ${ref} is not a PEM certificate` };
  }
  try {
    if (!x509.checkPrivateKey(createPrivateKey(key))) return { ok: false, problem: `tls.key of ${ref} does not belong to tls.crt` };
  } catch {
    return { ok: false, problem: `tls.key of ${ref} is not a PEM private key` };
  }
  return { ok: true, x509, pem: crt };
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

export function certificateInfo(x509: X509Certificate, host: string, nowMs: number): CertificateInfo {
  const from = new Date(x509.validFrom).getTime();
  const to = new Date(x509.validTo).getTime();
  const sans = (x509.subjectAltName ?? '').split(',').map((s) => s.trim()).filter((s) => s.startsWith('DNS:')).map((s) => s.slice(4));
  return {
    subject: oneLine(x509.subject),
    issuer: oneLine(x509.issuer),
    subjectAltNames: sans,
    validFrom: new Date(from).toISOString(),
    validTo: new Date(to).toISOString(),
    validForHost: coversHost(x509, host) && nowMs >= from && nowMs <= to,
    fake: x509.subject.includes(`CN=${FAKE_CERT_SUBJECT_CN}`),
    fingerprint256: x509.fingerprint256,
  };
}
