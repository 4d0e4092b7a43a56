/**
 * Self-signed certificates for labs and tests (node:crypto parses X.509 but cannot create
 * it, so node-forge writes the certificate; the RSA key pair comes from node:crypto, which is
 * fast, in PKCS#1 PEM like `openssl genrsa`). Used by `npm run cert` and by tests. Not used by the simulator at run time, so its
 * randomness (serials, keys) never reaches a graded result.
 *
 * Validity is backdated: the simulator's virtual clock starts at 2024-01-01T00:00:00Z
 * (util/clock.ts), so a certificate whose notBefore is the day a student makes it would be
 * "not yet valid" in every simulated run. Certificates start at that epoch and last to 2034
 * unless asked otherwise; a real cluster accepts them just the same.
 */
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import forge from 'node-forge';
import { DEFAULT_EPOCH_MS } from '../../../util/clock.ts';

/** notBefore of generated certificates: the simulator's epoch, so they are valid from its first second. */
export const CERT_NOT_BEFORE = new Date(DEFAULT_EPOCH_MS);
/** notAfter when no validity is asked for: long enough for any course run. */
export const CERT_DEFAULT_NOT_AFTER = new Date(Date.UTC(2034, 0, 1));

const DAY_MS = 86_400_000;

/**
 * The validity `npm run cert` writes: from the simulator's epoch to 2034-01-01, or to
 * `days` after `nowMs` when that is later (`--days` only ever extends it).
 */
export function cliValidity(nowMs: number, days?: number): { notBefore: Date; notAfter: Date } {
  const asked = days === undefined ? 0 : nowMs + days * DAY_MS;
  return { notBefore: CERT_NOT_BEFORE, notAfter: new Date(Math.max(CERT_DEFAULT_NOT_AFTER.getTime(), asked)) };
}

export interface CertRequest {
  /** DNS names (SANs); the first is also the CN. `*.example.com` wildcards are fine. */
  hosts: string[];
  /** Days of validity from notBefore (default: until CERT_DEFAULT_NOT_AFTER). */
  days?: number;
  /** Start of validity (default: CERT_NOT_BEFORE, the simulator's epoch). */
  notBefore?: Date;
  /** End of validity; wins over `days`. */
  notAfter?: Date;
  /** Organisation in the subject. */
  organization?: string;
  /** Override the subject CN (default: the first host). */
  commonName?: string;
  /** Put no SAN extension in (CN only), to show what ingress-nginx does with such certificates. */
  noSAN?: boolean;
}

export interface CertPair {
  cert: string;
  key: string;
}

export function generateSelfSigned(req: CertRequest): CertPair {
  if (req.hosts.length === 0 && !req.commonName) throw new Error('at least one host is needed');
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const keyPem = privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
  const pubPem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.publicKeyFromPem(pubPem);
  // A positive serial: the high bit cleared.
  const serial = randomBytes(16);
  serial[0]! &= 0x7f;
  cert.serialNumber = serial.toString('hex');
  const start = req.notBefore ?? CERT_NOT_BEFORE;
  cert.validity.notBefore = start;
  cert.validity.notAfter = req.notAfter ?? (req.days !== undefined ? new Date(start.getTime() + req.days * DAY_MS) : CERT_DEFAULT_NOT_AFTER);
  const attrs: forge.pki.CertificateField[] = [{ name: 'commonName', value: req.commonName ?? req.hosts[0]! }];
  if (req.organization) attrs.push({ name: 'organizationName', value: req.organization });
  cert.setSubject(attrs);
  cert.setIssuer(attrs);
  const ext: object[] = [
    { name: 'basicConstraints', cA: false },
    { name: 'keyUsage', digitalSignature: true, keyEncipherment: true },
    { name: 'extKeyUsage', serverAuth: true },
  ];
  if (!req.noSAN && req.hosts.length) ext.push({ name: 'subjectAltName', altNames: req.hosts.map((h) => ({ type: 2, value: h })) });
  cert.setExtensions(ext);
  const signer = forge.pki.privateKeyFromPem(keyPem);
  cert.sign(signer as forge.pki.rsa.PrivateKey, forge.md.sha256.create());
  return { cert: forge.pki.certificateToPem(cert), key: keyPem };
}

/** A kubernetes.io/tls Secret manifest (data base64-encoded, as `kubectl create secret tls` writes it). */
export function tlsSecretManifest(name: string, pair: CertPair, namespace?: string): string {
  const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');
  return [
    'apiVersion: v1',
    'kind: Secret',
    'metadata:',
    `  name: ${name}`,
    ...(namespace ? [`  namespace: ${namespace}`] : []),
    'type: kubernetes.io/tls',
    'data:',
    `  tls.crt: ${b64(pair.cert)}`,
    `  tls.key: ${b64(pair.key)}`,
    '',
  ].join('\n');
}
