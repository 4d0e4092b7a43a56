/**
 * ingress-nginx answering one request: server and location (match.ts), HTTPS redirect,
 * canary choice, cookie affinity, rewrite-target, and the upstream pick. nginx balances over
 * the Service's endpoints itself (round-robin, the `round_robin` Lua balancer), not through
 * the ClusterIP. What it cannot route it answers itself: 404 from the default backend, 503
 * when the Service has no ready endpoints, 200 on the default server's /healthz.
 */
import { createHash, type X509Certificate } from 'node:crypto';
import type { TraceHop } from '../../../backend/types.ts';
import type { ObjectStore, WatchEvent } from '../../api/store.ts';
import type { Ingress, IngressBackend, KubeObject, Service, ServicePort } from '../../api/types.ts';
import type { Rng } from '../../../util/rng.ts';
import type { NetworkState } from '../state.ts';
import { serviceType } from '../objects.ts';
import { type ProxyEndpoint, servicePortEndpoints } from '../kubeproxy/endpoints.ts';
import { coversHost, describeNames, fakeCertificate, readTlsSecret } from '../tls/cert.ts';
import type { CanaryConfig } from './annotations.ts';
import { type ClassOptions, KIND_CLASS_OPTIONS, handledBy } from './classes.ts';
import { CATCH_ALL, type Location, type Server, buildServers } from './model.ts';
import { selectLocation, selectServer } from './match.ts';
import { nginxPage } from './pages.ts';
import { copyRecord } from '../record.ts';

export interface IngressRequest {
  scheme: 'http' | 'https';
  /** Host header as sent (may carry a port). */
  host: string;
  method: string;
  /** Path with query string. */
  path: string;
  /** Lowercase header names. */
  headers: Record<string, string>;
  cookies: Record<string, string>;
  clientIP: string;
  port: number;
}

export type IngressOutcome =
  | { kind: 'reply'; status: number; headers: Record<string, string>; body: string; trace: TraceHop[] }
  | {
      kind: 'proxy';
      endpoint: ProxyEndpoint;
      service: { namespace: string; name: string };
      /** The URI sent upstream (after rewrite-target). */
      path: string;
      /** Headers for the upstream request. */
      headers: Record<string, string>;
      /** Headers nginx adds to the response (affinity cookie). */
      responseHeaders: Record<string, string>;
      trace: TraceHop[];
    };

export interface TlsChoice {
  x509: X509Certificate;
  fake: boolean;
  /** The whole story, for the trace. */
  why: string;
  /** For a fake certificate: why the host's own could not be used (no trailing "so …"). */
  reason?: string;
}

/** One ingress hop of the trace (a module function: a closure per request costs more than the push). */
function say(trace: TraceHop[], detail: string): void {
  trace.push({ component: 'ingress', detail });
}

const ingName = (i: Ingress) => `${i.metadata.namespace}/${i.metadata.name}`;
const html = { 'content-type': 'text/html' };

export class IngressNginx {
  private cache: { version: number; servers: Map<string, Server> } | undefined;
  private version = 0;
  private rr = new Map<string, number>();

  constructor(
    private readonly store: ObjectStore,
    private readonly state: NetworkState,
    private readonly rng: Rng,
    private readonly opts: ClassOptions = KIND_CLASS_OPTIONS,
  ) {
    store.watch(this);
  }

  /** WatchListener: the server table depends on Ingresses, IngressClasses and Secrets only. */
  onWatchEvent(ev: WatchEvent): void {
    const k = ev.object.kind;
    if (k === 'Ingress' || k === 'IngressClass' || k === 'Secret') this.version++;
  }

  handles(ing: Ingress): { ok: boolean; why: string } {
    return handledBy(ing, this.store, this.opts);
  }

  servers(): Map<string, Server> {
    if (this.cache?.version !== this.version) {
      const handled = (this.store.list('Ingress') as Ingress[]).filter((i) => this.handles(i).ok);
      this.cache = { version: this.version, servers: buildServers(handled) };
    }
    return this.cache.servers;
  }

  /**
   * The certificate served for an SNI name (or none): the host's Secret if it holds a
   * certificate for the host, else the fake one (controller.go createServers). `why` says
   * which, precisely: no server, no tls section, Secret missing or in another namespace,
   * Secret without tls.crt/tls.key, or a certificate that does not name the host (with the
   * names it does carry). Expiry is not checked by the controller: an expired certificate is
   * still served (the client's check reports it).
   */
  certificateFor(sni: string | undefined): TlsChoice {
    const fake = (reason: string): TlsChoice => ({ x509: fakeCertificate(), fake: true, reason, why: `${reason}, so ingress-nginx serves its "Kubernetes Ingress Controller Fake Certificate"` });
    if (!sni) return fake('no SNI name was sent');
    const server = selectServer(this.servers(), sni);
    if (server.host === CATCH_ALL) return fake(`no Ingress rule has host ${sni}`);
    if (!server.tls) return fake(`no Ingress for ${server.host} has a tls section`);
    const ing = server.tls.ingress;
    const ns = ing.metadata.namespace!;
    // A wildcard server is checked with a name it must cover.
    const probeHost = server.host.startsWith('*.') ? `x${server.host.slice(1)}` : server.host;
    if (server.tls.listed) {
      const name = server.tls.secretName;
      if (!name) return fake(`Ingress ${ingName(ing)} lists ${server.host} under tls without a secretName`);
      const c = this.tlsSecret(ns, name);
      if (!c.ok) return fake(`${c.problem} (named for ${server.host} under tls of Ingress ${ingName(ing)})`);
      if (!coversHost(c.x509, probeHost)) return fake(`the certificate in Secret ${ns}/${name} does not cover ${server.host}: it carries ${describeNames(c.x509)}`);
      return { x509: c.x509, fake: false, why: `Secret ${ns}/${name} (Ingress ${ingName(ing)}) holds a certificate for ${server.host}` };
    }
    // extractTLSSecretName: the host is in no tls.hosts list; any tls Secret whose certificate covers it is used.
    const problems: string[] = [];
    for (const name of (ing.spec.tls ?? []).map((t) => t.secretName).filter((x): x is string => !!x)) {
      const c = this.tlsSecret(ns, name);
      if (!c.ok) problems.push(c.problem);
      else if (!coversHost(c.x509, probeHost)) problems.push(`the certificate in Secret ${ns}/${name} does not cover ${server.host}: it carries ${describeNames(c.x509)}`);
      else return { x509: c.x509, fake: false, why: `Secret ${ns}/${name} (Ingress ${ingName(ing)}) holds a certificate for ${server.host}, though its tls.hosts do not list it` };
    }
    const listed = (ing.spec.tls ?? []).flatMap((t) => t.hosts ?? []);
    return fake(`the tls section of Ingress ${ingName(ing)} does not list ${server.host} (tls.hosts: ${listed.join(', ') || 'none'})${problems.length ? ` and none of its Secrets fits: ${problems.join('; ')}` : ''}`);
  }

  /** A Secret's certificate as the controller reads it: only from the Ingress's own namespace. */
  private tlsSecret(ns: string, name: string): ReturnType<typeof readTlsSecret> {
    const secret = this.store.get('Secret', ns, name);
    if (!secret) {
      const elsewhere = (this.store.list('Secret') as KubeObject[]).filter((x) => x.metadata.name === name).map((x) => x.metadata.namespace).sort();
      if (elsewhere.length) {
        return { ok: false, problem: `Secret ${name} is not in namespace ${ns} but in ${elsewhere.map((n) => `namespace ${n}`).join(', ')}: an Ingress can only use a TLS Secret from its own namespace` };
      }
    }
    return readTlsSecret(secret, `${ns}/${name}`);
  }

  route(req: IngressRequest): IngressOutcome {
    const trace: TraceHop[] = [];
    const servers = this.servers();
    const server = selectServer(servers, req.host);
    const [uriPath, query] = splitQuery(req.path);
    say(trace, serverSentence(server, req.host));
    const m = selectLocation(server, uriPath);
    if (m.kind === 'healthz') {
      say(trace, 'ingress-nginx: /healthz on the default server answers 200');
      return { kind: 'reply', status: 200, headers: {}, body: '', trace };
    }
    const hostOnly = withoutPort(req.host);
    if (m.kind === 'redirect') {
      say(trace, `nginx: ${uriPath} is prefix location ${m.location.path} without its final slash, so nginx redirects (301) to ${m.to}`);
      return { kind: 'reply', status: 301, headers: { ...html, location: `${req.scheme}://${hostOnly}${m.to}${query}` }, body: nginxPage(301), trace };
    }
    const loc = m.location;
    const ann = loc.ann;
    say(trace, locationSentence(loc, server.regex));
    const wantsTls = !!ann?.forceSslRedirect || (!!server.tls && (ann?.sslRedirect ?? true));
    if (req.scheme === 'http' && wantsTls) {
      say(trace, ann?.forceSslRedirect
        ? 'ingress-nginx: force-ssl-redirect: plain HTTP is redirected (308) to HTTPS'
        : `ingress-nginx: ${server.host} has TLS configured, so plain HTTP is redirected (308) to HTTPS (annotation ssl-redirect: "false" turns this off)`);
      return { kind: 'reply', status: 308, headers: { ...html, location: `https://${hostOnly}${req.path}` }, body: nginxPage(308), trace };
    }
    if (!loc.backend || !loc.ingress) {
      say(trace, 'ingress-nginx: no rule matches, so the default backend answers 404');
      return { kind: 'reply', status: 404, headers: html, body: nginxPage(404), trace };
    }
    let backend: IngressBackend = loc.backend;
    let owner = loc.ingress;
    if (loc.canary) {
      const choice = this.canaryChoice(loc.canary.ann.canary!, req);
      const canaryUp = this.resolveBackend(loc.canary.ingress.metadata.namespace!, loc.canary.backend);
      say(trace, `ingress-nginx: canary Ingress ${ingName(loc.canary.ingress)}: ${choice.why}`);
      if (choice.canary && canaryUp.ok) {
        backend = loc.canary.backend;
        owner = loc.canary.ingress;
      } else if (choice.canary) say(trace, 'ingress-nginx: the canary backend has no endpoints, so the main backend serves');
    }
    const up = this.resolveBackend(owner.metadata.namespace!, backend);
    if (!up.ok) {
      say(trace, `ingress-nginx: ${up.why}, so it answers 503`);
      return { kind: 'reply', status: 503, headers: html, body: nginxPage(503), trace };
    }
    const upstreamKey = upstreamName(up.svc, up.portLabel);
    const responseHeaders: Record<string, string> = {};
    let ep: ProxyEndpoint | undefined;
    const aff = owner === loc.ingress ? ann?.affinity : undefined;
    if (aff) {
      const v = req.cookies[aff.cookieName];
      ep = v ? up.endpoints.find((e) => cookieValue(e) === v) : undefined;
      if (ep) say(trace, `ingress-nginx: cookie ${aff.cookieName} pins this client to ${ep.ip}:${ep.port} (affinity: cookie)`);
    }
    if (!ep) {
      ep = this.roundRobin(upstreamKey, up.endpoints);
      say(trace, ep.externalName !== undefined
        ? `ingress-nginx: Service ${up.svc.metadata.namespace}/${up.svc.metadata.name} is ExternalName, so the upstream is ${ep.externalName}:${ep.port}, a name its balancer resolves when it proxies`
        : `ingress-nginx: balances over the ${up.endpoints.length} ready endpoint(s) of Service ${up.svc.metadata.namespace}/${up.svc.metadata.name} itself (round-robin, not via the ClusterIP): ${ep.ip}:${ep.port}`);
      if (aff) {
        responseHeaders['set-cookie'] = `${aff.cookieName}=${cookieValue(ep)}; Path=${aff.cookiePath ?? (server.regex ? '/' : loc.ingressPath)}; HttpOnly`;
        say(trace, `ingress-nginx: affinity: cookie: the response sets ${aff.cookieName} so this client sticks to ${ep.ip}:${ep.port}`);
      }
    }
    let upstreamPath = req.path;
    if (ann?.rewriteTarget && owner === loc.ingress) {
      upstreamPath = rewrite(loc.ingressPath, ann.rewriteTarget, uriPath) + query;
      if (upstreamPath !== req.path) say(trace, `ingress-nginx: rewrite-target ${ann.rewriteTarget}: ${req.path} is sent upstream as ${upstreamPath}`);
    }
    // Copy, then set one by one: the same object as `{ ...req.headers, host, … }` (a key already
    // there keeps its place), without V8's slow path for keys added after a spread (record.ts).
    const headers: Record<string, string> = copyRecord(req.headers);
    headers.host = req.host;
    headers['x-real-ip'] = req.clientIP;
    headers['x-forwarded-for'] = req.clientIP;
    headers['x-forwarded-host'] = hostOnly;
    headers['x-forwarded-port'] = String(req.port);
    headers['x-forwarded-proto'] = req.scheme;
    headers['x-forwarded-scheme'] = req.scheme;
    headers['x-scheme'] = req.scheme;
    return { kind: 'proxy', endpoint: ep, service: { namespace: up.svc.metadata.namespace!, name: up.svc.metadata.name }, path: upstreamPath, headers, responseHeaders, trace };
  }

  /** The Lua balancer's route_to_alternative_balancer: header, then cookie, then weight. */
  private canaryChoice(c: CanaryConfig, req: IngressRequest): { canary: boolean; why: string } {
    if (c.header) {
      const v = req.headers[c.header.toLowerCase()];
      if (v !== undefined) {
        if (c.headerValue) {
          if (v === c.headerValue) return { canary: true, why: `header ${c.header}: ${v} equals canary-by-header-value → canary` };
        } else if (c.headerPattern) {
          let re: RegExp | undefined;
          try { re = new RegExp(c.headerPattern); } catch { re = undefined; }
          if (!re) return { canary: false, why: `canary-by-header-pattern is not a valid regex → main` };
          if (re.test(v)) return { canary: true, why: `header ${c.header}: ${v} matches canary-by-header-pattern → canary` };
        } else if (v === 'always') return { canary: true, why: `header ${c.header}: always → canary` };
        else if (v === 'never') return { canary: false, why: `header ${c.header}: never → main (weight is not consulted)` };
      }
    }
    if (c.cookie) {
      const v = req.cookies[c.cookie];
      if (v === 'always') return { canary: true, why: `cookie ${c.cookie}=always → canary` };
      if (v === 'never') return { canary: false, why: `cookie ${c.cookie}=never → main` };
    }
    const total = c.weightTotal > 100 ? c.weightTotal : 100;
    const draw = 1 + this.rng.int(total);
    const hit = draw <= c.weight;
    return { canary: hit, why: `canary-weight ${c.weight}/${total}: drew ${draw} → ${hit ? 'canary' : 'main'}` };
  }

  private roundRobin(key: string, eps: ProxyEndpoint[]): ProxyEndpoint {
    let i = this.rr.get(key);
    if (i === undefined) i = this.rng.int(eps.length);
    this.rr.set(key, i + 1);
    return eps[i % eps.length]!;
  }

  resolveBackend(ns: string, b: IngressBackend):
    | { ok: true; svc: Service; portLabel: string; endpoints: ProxyEndpoint[] }
    | { ok: false; why: string } {
    if (!b.service) return { ok: false, why: `the backend is a resource (${b.resource?.kind ?? '?'}), which ingress-nginx cannot proxy to` };
    const svc = this.state.service(ns, b.service.name);
    if (!svc) return { ok: false, why: `Service ${ns}/${b.service.name} does not exist` };
    const want = b.service.port;
    if (serviceType(svc) === 'ExternalName') return externalNameBackend(svc, want);
    const sp = servicePortFor(svc, want);
    if (!sp) return { ok: false, why: `Service ${ns}/${b.service.name} has no port ${want.name ?? want.number}` };
    const endpoints = readyOf(servicePortEndpoints(this.state, svc, sp));
    if (endpoints.length === 0) return { ok: false, why: `Service ${ns}/${b.service.name} has no ready endpoints` };
    return { ok: true, svc, portLabel: String(sp.port), endpoints };
  }
}

/**
 * An ExternalName Service as ingress-nginx proxies to it (internal/ingress/controller
 * endpoints.go): one upstream whose address is `spec.externalName`, on the matching Service
 * port's targetPort, or on the Ingress backend's port number when the Service lists no ports.
 * localhost and loopback addresses are refused. The Lua balancer resolves the name when it
 * proxies (with the controller pod's resolver), so the Prober resolves it per request.
 */
/** The Service port an Ingress backend names: by name, or by number. */
function servicePortFor(svc: Service, want: { name?: string; number?: number }): ServicePort | undefined {
  return (svc.spec.ports ?? []).find((p) => (want.name ? p.name === want.name : p.port === want.number));
}

const externalEndpoints = new WeakMap<Service, Map<number, ProxyEndpoint[]>>();
function externalNameBackend(svc: Service, want: { name?: string; number?: number }):
  | { ok: true; svc: Service; portLabel: string; endpoints: ProxyEndpoint[] }
  | { ok: false; why: string } {
  const id = `Service ${svc.metadata.namespace}/${svc.metadata.name}`;
  const name = (svc.spec.externalName ?? '').replace(/\.$/, '');
  if (!name) return { ok: false, why: `${id} is ExternalName without an externalName` };
  if (name === 'localhost' || /^127\./.test(name)) return { ok: false, why: `${id} is ExternalName ${name}, a loopback name ingress-nginx refuses to proxy to` };
  let port: number;
  let label: string;
  const ports = svc.spec.ports ?? [];
  if (ports.length === 0) {
    if (want.number === undefined) return { ok: false, why: `${id} is ExternalName without ports, so the backend needs a port number, not the name ${want.name}` };
    port = want.number;
    label = String(want.number);
  } else {
    const sp = servicePortFor(svc, want);
    if (!sp) return { ok: false, why: `${id} has no port ${want.name ?? want.number}` };
    const target = sp.targetPort ?? sp.port;
    if (typeof target !== 'number') return { ok: false, why: `${id} is ExternalName and its port ${sp.port} has the named targetPort ${target}, which has no pod to name it` };
    port = target;
    label = String(sp.port);
  }
  let byPort = externalEndpoints.get(svc);
  if (!byPort) externalEndpoints.set(svc, (byPort = new Map()));
  let endpoints = byPort.get(port);
  if (!endpoints) byPort.set(port, (endpoints = [{ ip: '', port, ready: true, serving: true, terminating: false, externalName: name }]));
  return { ok: true, svc, portLabel: label, endpoints };
}

/** The ready endpoints of a shared merged list (frozen until the state moves), computed once per list. */
const readyLists = new WeakMap<readonly ProxyEndpoint[], ProxyEndpoint[]>();
function readyOf(all: readonly ProxyEndpoint[]): ProxyEndpoint[] {
  let r = readyLists.get(all);
  if (!r) readyLists.set(all, (r = all.filter((e) => e.ready)));
  return r;
}

/** ingress-nginx's upstream name (namespace-service-port), kept per stored Service object. */
const upstreamNames = new WeakMap<Service, Map<string, string>>();
function upstreamName(svc: Service, portLabel: string): string {
  let byPort = upstreamNames.get(svc);
  if (!byPort) upstreamNames.set(svc, (byPort = new Map()));
  let n = byPort.get(portLabel);
  if (n === undefined) byPort.set(portLabel, (n = `${svc.metadata.namespace}-${svc.metadata.name}-${portLabel}`));
  return n;
}

/*
 * The sentences that depend only on the configuration, kept per server and location object.
 * Those objects are rebuilt whenever the configuration changes, so the sentences cannot go
 * stale; a distribution check sends hundreds of requests through the same location.
 */
const serverSentences = new WeakMap<Server, Map<string, string>>();
function serverSentence(server: Server, host: string): string {
  let byHost = serverSentences.get(server);
  if (!byHost) serverSentences.set(server, (byHost = new Map()));
  let s = byHost.get(host);
  if (s === undefined) {
    s = server.host === CATCH_ALL
      ? `ingress-nginx: no server for Host "${host}", so the default server (rules without host) answers`
      : `ingress-nginx: Host "${host}" selects the server for ${server.host} (${server.ingresses.map(ingName).join(', ')})`;
    if (byHost.size < 64) byHost.set(host, s);
  }
  return s;
}

const locationSentences = new WeakMap<Location, string>();
function locationSentence(l: Location, regex: boolean): string {
  let s = locationSentences.get(l);
  if (s === undefined) locationSentences.set(l, (s = describeLocation(l, regex)));
  return s;
}

function describeLocation(l: Location, regex: boolean): string {
  const what = l.backend?.service
    ? `Service ${l.backend.service.name}:${l.backend.service.port.name ?? l.backend.service.port.number}`
    : l.backend ? 'a resource backend' : 'the default backend';
  const via = l.ingress ? ` (Ingress ${ingName(l.ingress)}${l.isDefBackend && l.backend ? `'s spec.defaultBackend` : ''})` : '';
  if (regex) return `ingress-nginx: regex mode for this host (use-regex or rewrite-target): location ~* "^${l.path}" matches first, longest first${via} → ${what}`;
  const kind = l.match === 'exact' ? `= ${l.path}` : l.path;
  return `ingress-nginx: location ${kind} (${l.pathType} ${l.ingressPath})${via} → ${what}`;
}

/** `host:8080` → `host`. Most Host headers carry no port, and those skip the regex. */
function withoutPort(host: string): string {
  return host.includes(':') ? host.replace(/:\d+$/, '') : host;
}

function splitQuery(p: string): [string, string] {
  const i = p.indexOf('?');
  return i < 0 ? [p || '/', ''] : [p.slice(0, i) || '/', p.slice(i)];
}

/** nginx `rewrite "(?i)<path>" <target> break;`: the whole URI is replaced when the path regex matches. */
export function rewrite(path: string, target: string, uri: string): string {
  let re: RegExp;
  try { re = new RegExp(path, 'i'); } catch { return uri; }
  const m = re.exec(uri);
  if (!m) return uri;
  return target.replace(/\$(\d)/g, (_, d: string) => m[Number(d)] ?? '');
}

function cookieValue(e: ProxyEndpoint): string {
  return createHash('md5').update(`${e.ip}:${e.port}`).digest('hex');
}
