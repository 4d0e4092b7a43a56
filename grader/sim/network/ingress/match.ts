/**
 * nginx's request matching over the servers model.ts builds:
 * - server: exact host, else a `*.domain` wildcard matching exactly one more label (the
 *   controller renders it as `~^(?<subdomain>[\w-]+)\.domain$`), else the catch-all `_`;
 * - location, plain mode: an exact `= /p` location, else the longest string prefix; nginx's
 *   auto_redirect answers 301 to `/p/` when the URI is a prefix location minus its final slash;
 * - location, regex mode: the first `~* ^path` (case-insensitive) in longest-first order;
 * - the default server also answers `/healthz` with 200 (nginx.tmpl).
 */
import { CATCH_ALL, type Location, type Server } from './model.ts';

/** Host header → the name nginx matches servers by, memoised (every request normalises one). */
const normalisedHosts = new Map<string, string>();
function serverName(hostHeader: string): string {
  let host = normalisedHosts.get(hostHeader);
  if (host === undefined) {
    host = hostHeader.toLowerCase().replace(/:\d+$/, '').replace(/\.$/, '');
    if (normalisedHosts.size >= 1024) normalisedHosts.clear();
    normalisedHosts.set(hostHeader, host);
  }
  return host;
}

export function selectServer(servers: ReadonlyMap<string, Server>, hostHeader: string): Server {
  const host = serverName(hostHeader);
  const exact = servers.get(host);
  if (exact && host !== CATCH_ALL) return exact;
  let best: Server | undefined;
  for (const s of servers.values()) {
    if (!s.host.startsWith('*.')) continue;
    const suffix = s.host.slice(1);
    if (host.endsWith(suffix) && /^[\w-]+$/.test(host.slice(0, -suffix.length))) {
      if (!best || s.host.length > best.host.length) best = s;
    }
  }
  return best ?? servers.get(CATCH_ALL)!;
}

export type LocationMatch =
  | { kind: 'location'; location: Location; regexMatch?: RegExpExecArray }
  | { kind: 'redirect'; to: string; location: Location }
  | { kind: 'healthz' };

const regexCache = new Map<string, RegExp | null>();
export function locationRegex(path: string): RegExp | null {
  let r = regexCache.get(path);
  if (r === undefined) {
    try {
      r = new RegExp(`^${path}`, 'i');
    } catch {
      r = null;
    }
    regexCache.set(path, r);
  }
  return r;
}

export function selectLocation(server: Server, uriPath: string): LocationMatch {
  if (server.regex) {
    for (const l of server.locations) {
      const m = locationRegex(l.path)?.exec(uriPath);
      if (m) return { kind: 'location', location: l, regexMatch: m };
    }
    return { kind: 'location', location: server.locations.find((l) => l.path === '/')! };
  }
  // Plain loops: this runs for every request through the controller.
  let best: Location | undefined;
  for (const l of server.locations) {
    if (l.match === 'exact' && l.path === uriPath) return { kind: 'location', location: l };
  }
  for (const l of server.locations) {
    if (l.match === 'prefix' && uriPath.startsWith(l.path) && (!best || l.path.length > best.path.length)) best = l;
  }
  if (server.host === CATCH_ALL && uriPath.startsWith('/healthz') && (!best || best.path.length < '/healthz'.length)) return { kind: 'healthz' };
  // nginx's auto-redirect: the URI is a prefix location minus its final slash.
  for (const l of server.locations) {
    if (l.match === 'prefix' && l.path !== '/' && l.path.length === uriPath.length + 1 && l.path.endsWith('/') && l.path.startsWith(uriPath) && l.backend) {
      return { kind: 'redirect', to: `${uriPath}/`, location: l };
    }
  }
  return { kind: 'location', location: best ?? server.locations.find((l) => l.path === '/')! };
}
