/**
 * Image references as containerd parses them (github.com/distribution/reference): validation,
 * the default tag, the docker.io/library expansion, and the repository name the catalogue
 * matches on (registry prefix of Docker Hub, tag and digest ignored).
 */

export type ParsedReference =
  | { ok: true; domain: string; path: string; tag?: string; digest?: string; /** docker.io/library/nginx:latest */ full: string; /** nginx, traefik/whoami, registry.k8s.io/echoserver */ repository: string }
  | { ok: false; error: string };

// distribution/reference regexp.go, transcribed.
const PATH_COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|[-]+)[a-z0-9]+)*$/;
const DOMAIN_COMPONENT = /^(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])$/;
const TAG = /^[\w][\w.-]{0,127}$/;
const DIGEST = /^[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}$/;

/** Parsed references by string: the kubelet, catalogue and views parse the same few images over and over. */
const parsedCache = new Map<string, ParsedReference>();

export function parseImageReference(image: string): ParsedReference {
  const hit = parsedCache.get(image);
  if (hit) return hit;
  const parsed = parseImageReferenceUncached(image);
  // Bounded, so hostile input with endless distinct names cannot grow it without limit.
  if (parsedCache.size < 10_000) parsedCache.set(image, Object.freeze(parsed) as ParsedReference);
  return parsed;
}

function parseImageReferenceUncached(image: string): ParsedReference {
  const bad = { ok: false as const, error: 'invalid reference format' };
  if (!image || image !== image.trim()) return bad;
  let rest = image;
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!DIGEST.test(digest)) return bad;
  }
  let tag: string | undefined;
  const lastSlash = rest.lastIndexOf('/');
  const colon = rest.lastIndexOf(':');
  if (colon > lastSlash) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
    if (!TAG.test(tag)) return bad;
  }
  if (!rest || rest.length > 255) return bad;
  const parts = rest.split('/');
  let domain = 'docker.io';
  const first = parts[0]!;
  if (parts.length > 1 && (first.includes('.') || first.includes(':') || first === 'localhost')) {
    const [host, port] = first.split(':');
    if (!host || !host.split('.').every((c) => DOMAIN_COMPONENT.test(c))) return bad;
    if (port !== undefined && !/^\d+$/.test(port)) return bad;
    domain = first;
    parts.shift();
  }
  for (const p of parts) {
    if (!PATH_COMPONENT.test(p)) {
      if (PATH_COMPONENT.test(p.toLowerCase())) return { ok: false, error: 'invalid reference format: repository name must be lowercase' };
      return bad;
    }
  }
  let path = parts.join('/');
  if (domain === 'index.docker.io') domain = 'docker.io';
  if (domain === 'docker.io' && parts.length === 1) path = `library/${path}`;
  const full = `${domain}/${path}${tag !== undefined ? `:${tag}` : digest ? '' : ':latest'}${digest ? `@${digest}` : ''}`;
  const repository = domain === 'docker.io' ? path.replace(/^library\//, '') : `${domain}/${path}`;
  return { ok: true, domain, path, tag, digest, full, repository };
}

/** The tag an image runs with (`latest` when none and no digest). */
export function imageTag(image: string): string | undefined {
  const r = parseImageReference(image);
  return r.ok ? (r.tag ?? (r.digest ? undefined : 'latest')) : undefined;
}
