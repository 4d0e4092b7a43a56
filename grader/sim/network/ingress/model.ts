/**
 * The nginx configuration ingress-nginx would render, as data: one server per host (plus the
 * catch-all `_`), each with its locations, TLS certificate and regex mode. Built from every
 * Ingress this controller handles, in sortIngresses order (creationTimestamp, ties descending
 * by namespace/name), as internal/ingress/controller/controller.go createServers/getBackendServers do:
 * - the first Ingress to define a host+path owns it; later duplicates are ignored;
 * - every server has a default root location `/`: the spec.defaultBackend of the Ingress that
 *   first named the host, else the controller's 404; a rule for `/` replaces it (the rule
 *   wins over a defaultBackend); an Ingress with a defaultBackend and no rules is the
 *   catch-all server's root;
 * - Prefix `/foo` becomes two locations, `/foo/` (prefix) and `= /foo` (exact), unless an
 *   Exact `/foo` exists (updateServerLocations); ImplementationSpecific stays a plain nginx
 *   prefix (so `/foo` also matches `/foobar`);
 * - use-regex or rewrite-target on any Ingress of a host turns every location of that host
 *   into a case-insensitive regex (docs/user-guide/ingress-path-matching.md);
 * - canary Ingresses attach to the location with the same host and path of a main Ingress.
 */
import type { Ingress, IngressBackend } from '../../api/types.ts';
import { type IngressAnnotations, annotationsOf } from './annotations.ts';

export type PathType = 'Exact' | 'Prefix' | 'ImplementationSpecific';

export interface Location {
  /** The nginx location path (after Prefix normalisation). */
  path: string;
  /** `exact` (= /p), `prefix` (nginx string prefix) or, in regex mode, `regex`. */
  match: 'exact' | 'prefix' | 'regex';
  /** The path as written in the Ingress (canary matching, rewrite regex). */
  ingressPath: string;
  pathType: PathType;
  /** Undefined: the controller's default backend (404). */
  backend?: IngressBackend;
  /**
   * A server's default location (ingress-nginx's IsDefBackend): the root `/` pointing at the
   * default backend — the controller's, or an Ingress's spec.defaultBackend. A rule for the
   * same path replaces it instead of being dropped as a duplicate.
   */
  isDefBackend?: boolean;
  ingress?: Ingress;
  ann?: IngressAnnotations;
  canary?: { ingress: Ingress; backend: IngressBackend; ann: IngressAnnotations };
}

export interface Server {
  /** Host name, `*.foo.com` wildcard, or `_` for the catch-all default server. */
  host: string;
  locations: Location[];
  regex: boolean;
  /** The Ingress whose spec.tls applies to this host, with the Secret it names (or none). */
  tls?: { ingress: Ingress; secretName?: string; /** The host is named in one of its spec.tls[].hosts. */ listed: boolean };
  /** Ingresses contributing to this server, oldest first. */
  ingresses: Ingress[];
}

export const CATCH_ALL = '_';

/**
 * ingress-nginx's sortIngressSlice (internal/ingress/controller/store/store.go): oldest
 * creationTimestamp first; on a tie (same second) it returns `in > jn`, i.e. descending by
 * "namespace/name" — so of two Ingresses applied together, `default/b` comes before `default/a`.
 */
export function sortIngresses(ings: readonly Ingress[]): Ingress[] {
  return [...ings].sort((a, b) => {
    const ta = a.metadata.creationTimestamp ?? '';
    const tb = b.metadata.creationTimestamp ?? '';
    if (ta !== tb) return ta < tb ? -1 : 1;
    const ka = `${a.metadata.namespace}/${a.metadata.name}`;
    const kb = `${b.metadata.namespace}/${b.metadata.name}`;
    return ka > kb ? -1 : ka < kb ? 1 : 0;
  });
}

function rootLocation(): Location {
  return { path: '/', match: 'prefix', ingressPath: '/', pathType: 'Prefix', isDefBackend: true };
}

const serviceBackend = (b: IngressBackend | undefined): IngressBackend | undefined => (b?.service ? b : undefined);

export function buildServers(handled: readonly Ingress[]): Map<string, Server> {
  const servers = new Map<string, Server>();
  servers.set(CATCH_ALL, { host: CATCH_ALL, locations: [rootLocation()], regex: false, ingresses: [] });
  const ordered = sortIngresses(handled);
  const mains = ordered.filter((i) => !annotationsOf(i).canary);
  const canaries = ordered.filter((i) => annotationsOf(i).canary);

  // createServers, first pass: the servers and their default (root) locations.
  for (const ing of mains) {
    const ann = annotationsOf(ing);
    const rules = ing.spec?.rules ?? [];
    const def = serviceBackend(ing.spec?.defaultBackend);
    if (def && rules.length === 0) {
      // The "catch all" Ingress: a defaultBackend and no rules configures the default server's
      // root location, once (the first such Ingress in sort order keeps it).
      const root = servers.get(CATCH_ALL)!.locations[0]!;
      if (root.isDefBackend) Object.assign(root, { backend: def, ingress: ing, ann, isDefBackend: false });
    }
    for (const rule of rules) {
      const host = (rule.host ?? '').toLowerCase() || CATCH_ALL;
      if (servers.has(host)) continue;
      // The first Ingress to name a host makes its server; the root location goes to that
      // Ingress's defaultBackend (or the controller's 404) until a rule claims `/`.
      servers.set(host, { host, locations: [{ ...rootLocation(), backend: def, ingress: def ? ing : undefined, ann: def ? ann : undefined }], regex: false, ingresses: [] });
    }
  }

  // getBackendServers: the rules' locations. A rule for a path a default location holds
  // replaces it; a path another rule already holds keeps the first (oldest) Ingress's backend.
  for (const ing of mains) {
    const ann = annotationsOf(ing);
    for (const rule of ing.spec?.rules ?? []) {
      const s = servers.get((rule.host ?? '').toLowerCase() || CATCH_ALL)!;
      if (!s.ingresses.includes(ing)) s.ingresses.push(ing);
      for (const p of rule.http?.paths ?? []) {
        const pathType = p.pathType;
        const path = p.path || '/';
        // `/` other than Exact is nginx's `location /`, the root location itself.
        const existing = path === '/' && pathType !== 'Exact'
          ? s.locations.find((l) => l.path === '/' && l.match === 'prefix')
          : s.locations.find((l) => l.ingressPath === path && l.pathType === pathType);
        if (existing) {
          if (!existing.isDefBackend) continue; // first Ingress wins a duplicate host+path
          Object.assign(existing, { backend: p.backend, ingress: ing, ann, pathType, ingressPath: path, isDefBackend: false });
          continue;
        }
        s.locations.push({ path, match: pathType === 'Exact' ? 'exact' : 'prefix', ingressPath: path, pathType, backend: p.backend, ingress: ing, ann, isDefBackend: false });
      }
    }
  }

  for (const s of servers.values()) {
    s.locations = splitPrefixLocations(s.locations);
    s.regex = s.locations.some((l) => l.ann && (l.ann.useRegex || !!l.ann.rewriteTarget));
    if (s.regex) for (const l of s.locations) l.match = 'regex';
    // Longest path first: nginx takes the first matching regex (ingress-path-matching.md).
    s.locations.sort((a, b) => b.path.length - a.path.length);
    for (const ing of s.ingresses) {
      if ((ing.spec?.tls ?? []).length === 0) continue;
      s.tls = { ingress: ing, ...tlsSecretFor(s.host, ing) };
      break;
    }
  }

  for (const ing of canaries) {
    const ann = annotationsOf(ing);
    for (const rule of ing.spec?.rules ?? []) {
      const s = servers.get((rule.host ?? '').toLowerCase() || CATCH_ALL);
      if (!s) continue; // a canary without its main Ingress is ignored
      for (const p of rule.http?.paths ?? []) {
        const path = p.path || '/';
        for (const l of s.locations) {
          if (l.ingressPath === path && l.backend && !l.canary) l.canary = { ingress: ing, backend: p.backend, ann };
        }
      }
    }
  }
  return servers;
}

/** updateServerLocations: Prefix /foo → `/foo/` and `= /foo` (unless an Exact /foo exists). */
function splitPrefixLocations(locs: Location[]): Location[] {
  const exact = new Set(locs.filter((l) => l.pathType === 'Exact').map((l) => l.path));
  const out: Location[] = [];
  for (const l of locs) {
    if (l.path === '/' || l.pathType !== 'Prefix' || l.path.endsWith('/') || !l.backend) {
      out.push(l);
      continue;
    }
    out.push({ ...l, path: `${l.path}/` });
    if (!exact.has(l.path)) out.push({ ...l, match: 'exact', pathType: 'Exact' });
  }
  return out;
}

/** extractTLSSecretName: a tls entry listing the host; else (checked later) any Secret covering it. */
function tlsSecretFor(host: string, ing: Ingress): { listed: boolean; secretName?: string } {
  for (const t of ing.spec?.tls ?? []) {
    if ((t.hosts ?? []).some((h) => h.toLowerCase() === host)) return { listed: true, secretName: t.secretName || undefined };
  }
  return { listed: false };
}
