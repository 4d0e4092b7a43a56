/**
 * Self-signed certificates for labs and tests (node:crypto parses X.509 but cannot create
 * it, so node-forge writes the certificate; the RSA key pair comes from node:crypto, which is
 * fast, in PKCS#1 PEM like `openssl genrsa`). Used by `npm run cert` and by tests. Not used by the simulator at run time, so its
 * randomness (serials, keys) never reaches a graded result.
 */
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import forge from 'node-forge';

export interface CertRequest {
  /** DNS names (SANs); the first is also the CN. `*.example.com` wildcards are fine. */
  hosts: string[];
  /** Days of validity (default 365). */
  days?: number;
  /** Start of validity (default: now). */
  notBefore?: Date;
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
  const start = req.notBefore ?? new Date();
  cert.validity.notBefore = start;
  cert.validity.notAfter = new Date(start.getTime() + (req.days ?? 365) * 86_400_000);
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
