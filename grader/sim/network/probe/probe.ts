/**
 * The probes the checks run — DNS, HTTP(S), TCP — from a pod or from outside, each with the
 * trace of the path it took. HTTP answers come from the image catalogue's `http` behaviour of
 * the container that accepted the connection; ingress-nginx's pod answers with the ingress
 * model (router.ts), and HTTPS through it reports the certificate chosen by SNI.
 */
import type { CertificateInfo, DnsQuery, DnsResult, HttpProbe, HttpResult, ServedBy, TcpProbe, TcpResult, TraceHop } from '../../../backend/types.ts';
import type { Pod } from '../../api/types.ts';
import type { ClusterContext } from '../../runtime/context.ts';
import type { AppProtocol, HttpReply, HttpRequestInfo, ProcessNetwork } from '../../images/types.ts';
import { isIPv4 } from '../ip.ts';
import type { NetworkState } from '../state.ts';
import type { PodResolver } from '../dns/resolver.ts';
import { internetHttpBody, internetLookup } from '../dns/internet.ts';
import { resolvConfFor } from '../dns/resolver.ts';
import type { IngressNginx } from '../ingress/router.ts';
import { certificateInfo } from '../tls/cert.ts';
import type { PodRuntime } from '../runtime.ts';
import { type Client, resolveOrigin } from './origin.ts';
import type { Delivery, PacketPath } from './path.ts';
import { type StoreVersion, storeVersion } from '../version.ts';

export interface ProbeDeps {
  ctx: ClusterContext;
  state: NetworkState;
  runtime: PodRuntime;
  resolver: PodResolver;
  path: PacketPath;
  ingress?: IngressNginx;
  /** Is this pod an ingress-nginx controller pod (whose 80/443 the ingress model answers)? */
  isIngressPod(pod: Pod): boolean;
}

const MAX_REDIRECTS = 5;

export class Prober {
  private readonly version: StoreVersion;
  /** Resolved origins while the store and the set of running nodes stand. */
  private origins = { version: -1, nodes: -1, byKey: new Map<string, Client | { error: string }>() };
  private podClients = new WeakMap<Pod, Extract<Client, { kind: 'pod' }>>();
  private processNetworks = new WeakMap<Pod, ProcessNetwork>();

  constructor(private readonly d: ProbeDeps) {
    this.version = storeVersion(d.state.store);
  }

  /**
   * Where a probe starts, as resolveOrigin says. Cached: a distribution check starts hundreds of
   * requests from one origin. The answer depends on the store (pods, nodes) and on which nodes
   * are up, which can change without a write (a killed node): the runtime counts those changes.
   */
  private origin(o: Parameters<typeof resolveOrigin>[0]): Client | { error: string } {
    const nodes = this.d.runtime.nodesGeneration();
    if (this.origins.version !== this.version.value || this.origins.nodes !== nodes) this.origins = { version: this.version.value, nodes, byKey: new Map() };
    const key = o.kind === 'external' ? 'external' : o.selector ? JSON.stringify(o) : `pod\0${o.namespace}\0${o.pod ?? ''}`;
    const hit = this.origins.byKey.get(key);
    if (hit) return hit;
    const client = resolveOrigin(o, this.d.state, this.d.runtime, this.d.ctx.config);
    this.origins.byKey.set(key, client);
    return client;
  }

  dns(q: DnsQuery): DnsResult {
    const c = this.origin(q.from);
    if ('error' in c) return { rcode: 'SERVFAIL', answers: [], trace: [{ component: 'client', detail: c.error }] };
    if (c.kind !== 'pod') return { rcode: 'SERVFAIL', answers: [], trace: [{ component: 'client', detail: 'DNS probes run from a pod' }] };
    return this.d.resolver.resolve(c.conf, q.name, q.type, c.describe);
  }

  /** Name → IPv4 as the client would resolve it (curl): pod resolver, or the host's view. */
  private resolveHost(c: Client, host: string, trace: TraceHop[]): string | undefined {
    const h = host.replace(/^\[|\]$/g, '');
    if (isIPv4(h)) return h;
    if (c.kind === 'external') {
      if (h === 'localhost') return '127.0.0.1';
      const ip = internetLookup(h);
      trace.push({ component: 'dns', detail: ip ? `the host resolves ${h} to ${ip} (outside the cluster)` : `the host cannot resolve ${h}: cluster names (*.svc.cluster.local) only resolve inside pods` });
      return ip;
    }
    const r = this.d.resolver.lookup(c.conf, h, 'A', c.describe);
    for (let i = 1; i < r.trace.length; i++) trace.push(r.trace[i]!);
    return firstA(r);
  }

  /** A name (or address) as a process in the pod resolves it, without a trace. */
  private addressFrom(c: Extract<Client, { kind: 'pod' }>, name: string): string | undefined {
    return isIPv4(name) ? name : firstA(this.d.resolver.lookup(c.conf, name, 'A', c.describe));
  }

  tcp(p: TcpProbe): TcpResult {
    const trace: TraceHop[] = [];
    const c = this.origin(p.from);
    if ('error' in c) return { result: 'unresolved', trace: [{ component: 'client', detail: c.error }] };
    trace.push({ component: 'client', detail: `from ${c.describe}` });
    const ip = this.resolveHost(c, p.host, trace);
    if (!ip) return { result: 'unresolved', trace };
    const d = this.d.path.connect(c, ip, p.port);
    trace.push(...d.trace);
    if (!d.ok) return { result: d.error === 'connection refused' ? 'refused' : 'timeout', trace };
    return { result: 'connected', servedBy: d.to === 'pod' ? servedBy(d.pod) : undefined, trace };
  }

  http(p: HttpProbe): HttpResult {
    const c = this.origin(p.from);
    if ('error' in c) return { ok: false, error: c.error, trace: [{ component: 'client', detail: c.error }] };
    return this.httpFrom(c, p);
  }

  /** An HTTP request (and the redirects it follows) from a resolved client. */
  private httpFrom(c: Client, p: HttpProbe): HttpResult {
    const trace: TraceHop[] = [{ component: 'client', detail: `from ${c.describe}` }];
    let url = p.url;
    let connectTo = p.connectTo;
    let cookies = { ...(p.cookies ?? {}) };
    for (let hop = 0; ; hop++) {
      // What changes between redirects goes as arguments: copying the probe for each request
      // was a noticeable part of its cost.
      const r = this.once(c, p, url, connectTo, cookies, trace);
      if (!r.ok || !p.followRedirects || ![301, 302, 303, 307, 308].includes(r.status) || !r.headers.location || hop >= MAX_REDIRECTS) return r;
      const next = new URL(r.headers.location, url);
      trace.push({ component: 'client', detail: `following the ${r.status} redirect to ${next.href}` });
      if (new URL(url).hostname !== next.hostname) connectTo = undefined;
      url = next.href;
      cookies = { ...cookies, ...parseSetCookie(r.headers['set-cookie']) };
    }
  }

  /** One request of a probe, to `url` (the probe's, or a redirect's), with the client's cookies so far. */
  private once(c: Client, p: HttpProbe, url: string, connectTo: string | undefined, cookies: Record<string, string>, trace: TraceHop[]): HttpResult {
    const u = parseUrl(url);
    if (!u) return { ok: false, error: `malformed URL ${url}`, trace };
    const scheme = u.protocol === 'https:' ? 'https' : 'http';
    const port = u.port ? Number(u.port) : scheme === 'https' ? 443 : 80;
    const host = u.hostname;
    let ip: string | undefined;
    if (connectTo) {
      ip = this.resolveHost(c, connectTo, trace);
      trace.push({ component: 'client', detail: `connecting to ${connectTo} for ${host} (like curl --resolve)` });
    } else ip = this.resolveHost(c, host, trace);
    if (!ip) return { ok: false, error: 'could not resolve host', trace: [...trace, { component: 'client', detail: `could not resolve host: ${host}` }] };
    const d = this.d.path.connect(c, ip, port, p.connectionKey);
    trace.push(...d.trace);
    if (!d.ok) return { ok: false, error: d.error, trace };
    const headers = lowerKeys(p.headers ?? {});
    if (!headers.host) headers.host = u.port ? `${host}:${u.port}` : host;
    let cookieHeader = '';
    for (const k of Object.keys(cookies)) cookieHeader += `${cookieHeader ? '; ' : ''}${k}=${cookies[k]}`;
    if (cookieHeader) headers.cookie = headers.cookie ? `${headers.cookie}; ${cookieHeader}` : cookieHeader;
    const method = (p.method ?? 'GET').toUpperCase();
    const pathQ = `${u.pathname}${u.search}`;

    if (d.to === 'internet') {
      if (scheme === 'https') trace.push({ component: 'tls', detail: 'the stand-in Internet host is not modelled with a certificate' });
      return { ok: true, status: 200, headers: { 'content-type': 'text/html' }, body: internetHttpBody(host), trace };
    }
    if (this.d.ingress && this.d.isIngressPod(d.pod) && (d.listener.app === 'http' || d.listener.app === 'https') && (d.port === 80 || d.port === 443)) {
      return this.viaIngress(c, d, { scheme, host, port, method, pathQ, headers, cookies }, trace);
    }
    const tlsOnPort = d.listener.app === 'https';
    if (scheme === 'https' && !tlsOnPort) return { ok: false, error: 'TLS handshake failed', trace: [...trace, { component: 'tls', detail: `port ${d.port} of ${d.pod.metadata.name} speaks ${d.listener.app}, not TLS` }] };
    if (scheme === 'http' && tlsOnPort) return { ok: true, status: 400, headers: {}, body: 'Client sent an HTTP request to an HTTPS server.\n', servedBy: servedBy(d.pod), trace };
    const reply = this.appHttp(d, method, pathQ, headers.host, d.port, headers, trace);
    if ('error' in reply) return { ok: false, error: reply.error, trace };
    return new PodAnswer(reply, lowerKeys(reply.headers ?? {}), servedBy(d.pod), undefined, trace);
  }

  private appHttp(d: Extract<Delivery, { to: 'pod' }>, method: string, path: string, host: string, port: number, headers: Record<string, string>, trace: TraceHop[]): HttpReply | { error: string } {
    const app: AppProtocol = d.listener.app;
    if (app !== 'http' && app !== 'https') {
      trace.push({ component: 'pod', detail: `port ${d.port} speaks ${app}, not HTTP` });
      return { error: 'empty reply from server' };
    }
    const image = d.listener.image;
    if (!image?.http) {
      trace.push({ component: 'pod', detail: `the image ${d.listener.container.image} has no modelled HTTP answer` });
      return { error: 'empty reply from server' };
    }
    const info = this.d.runtime.containerInfo(d.pod, d.listener.container);
    const request: HttpRequestInfo = { method, path, host, port, headers, remoteAddr: `${d.sourceIP}:40000` };
    const reply = image.http(info, request, this.processNetwork(d.pod));
    trace.push({ component: 'pod', detail: `${d.pod.metadata.name} answers ${reply.status}` });
    return reply;
  }

  private viaIngress(
    c: Client,
    d: Extract<Delivery, { to: 'pod' }>,
    r: { scheme: 'http' | 'https'; host: string; port: number; method: string; pathQ: string; headers: Record<string, string>; cookies: Record<string, string> },
    trace: TraceHop[],
  ): HttpResult {
    const ing = this.d.ingress!;
    let certificate;
    if (r.scheme === 'https') {
      const sni = isIPv4(r.host) ? undefined : r.host;
      const choice = ing.certificateFor(sni);
      certificate = certificateInfo(choice.x509, r.host, this.d.ctx.clock.now(), choice.fake ? choice.reason : undefined);
      trace.push({ component: 'tls', detail: `SNI ${sni ?? '(none)'}: ${choice.why}; ${certificate.validForHost ? `valid for ${r.host}` : `NOT valid for ${r.host} (curl would need -k)`}` });
    }
    const cookies = r.headers.cookie ? { ...parseCookieHeader(r.headers.cookie), ...r.cookies } : r.cookies;
    const out = ing.route({ scheme: r.scheme, host: r.headers.host ?? r.host, method: r.method, path: r.pathQ, headers: r.headers, cookies, clientIP: d.sourceIP, port: r.port });
    trace.push(...out.trace);
    if (out.kind === 'reply') return { ok: true, status: out.status, headers: out.headers, body: out.body, certificate, trace };
    // nginx opens its own connection to the endpoint, from the controller pod; the address is
    // routed like any other (a pod, a node, or a host outside the cluster).
    const controller = this.podClient(d.pod);
    let to: Delivery;
    let upstream = out.endpoint.ip;
    const external = out.endpoint.externalName;
    if (external !== undefined) {
      // The balancer resolves the ExternalName with the controller pod's resolver, then nginx
      // connects as any process in that pod does: a ClusterIP goes through kube-proxy.
      const ip = this.addressFrom(controller, external);
      if (!ip) {
        trace.push({ component: 'ingress', detail: `ingress-nginx: ${external} does not resolve (from the controller pod), so the upstream has no endpoint and it answers 503` });
        return { ok: true, status: 503, headers: { 'content-type': 'text/html' }, body: '', certificate, trace };
      }
      trace.push({ component: 'ingress', detail: `ingress-nginx: ${external} resolves to ${ip}; nginx connects to ${ip}:${out.endpoint.port}` });
      upstream = ip;
      to = this.d.path.connect(controller, ip, out.endpoint.port);
    } else to = this.d.path.toEndpoint(controller, out.endpoint.ip, out.endpoint.port, controller.ip || c.ip, []);
    trace.push(...to.trace);
    if (to.ok && to.to === 'internet') {
      trace.push({ component: 'ingress', detail: `the upstream ${upstream}:${out.endpoint.port} is the simulator's stand-in host outside the cluster; it answers 200` });
      return { ok: true, status: 200, headers: { 'content-type': 'text/html', ...out.responseHeaders }, body: internetHttpBody(out.headers.host ?? r.host), certificate, trace };
    }
    if (!to.ok || to.to !== 'pod') {
      trace.push({ component: 'ingress', detail: 'the upstream did not answer, so ingress-nginx answers 502/504' });
      return { ok: true, status: to.ok ? 502 : to.error === 'timed out' ? 504 : 502, headers: { 'content-type': 'text/html' }, body: '', certificate, trace };
    }
    const reply = this.appHttp(to, r.method, out.path, out.headers.host ?? r.host, out.endpoint.port, out.headers, trace);
    if ('error' in reply) return { ok: true, status: 502, headers: { 'content-type': 'text/html' }, body: '', certificate, trace };
    return new PodAnswer(reply, mergeHeaders(lowerKeys(reply.headers ?? {}), out.responseHeaders), servedBy(to.pod), certificate, trace);
  }

  /** A running pod as the source of a connection its process opens. */
  private podClient(pod: Pod): Extract<Client, { kind: 'pod' }> {
    // A function of the pod object alone (a new version of the pod is a new object).
    let client = this.podClients.get(pod);
    if (client) return client;
    const cfg = this.d.ctx.config;
    client = {
      kind: 'pod', namespace: pod.metadata.namespace!, name: pod.metadata.name, ip: pod.status?.podIP ?? '', node: pod.spec.nodeName ?? '', pod,
      conf: resolvConfFor(pod.metadata.namespace!, pod.spec, { dnsServiceIP: cfg.dnsServiceIP, clusterDomain: cfg.clusterDomain }),
      describe: `pod ${pod.metadata.namespace}/${pod.metadata.name}`,
    };
    this.podClients.set(pod, client);
    return client;
  }

  /** How a process in `pod` reaches the network (wordpress dialing mysql). */
  processNetwork(pod: Pod): ProcessNetwork {
    let net = this.processNetworks.get(pod);
    if (!net) this.processNetworks.set(pod, (net = this.newProcessNetwork(pod)));
    return net;
  }

  private newProcessNetwork(pod: Pod): ProcessNetwork {
    const client = this.podClient(pod);
    return {
      resolve: (name) => this.addressFrom(client, name),
      connect: (host, port) => {
        const ip = this.addressFrom(client, host);
        if (!ip) return { ok: false, error: `could not resolve host: ${host}` };
        const d = this.d.path.connect(client, ip, port);
        if (!d.ok) return { ok: false, error: d.error };
        // The namespace too: a Service in another namespace reaches a pod the peer() hook must find there.
        return d.to === 'pod' ? { ok: true, app: d.listener.app, pod: d.pod.metadata.name, namespace: d.pod.metadata.namespace ?? 'default' } : { ok: true, app: 'http' };
      },
      fetch: (url, followRedirects) => {
        const r = this.httpFrom(client, { from: { kind: 'pod', namespace: client.namespace, pod: client.name }, url, followRedirects });
        if (!r.ok) return { ok: false, error: r.error };
        // ingress-nginx's certificates (a redirect to HTTPS included) and a pod's own TLS are
        // signed by no public CA; the stand-in Internet hosts (no pod, no certificate) count as
        // publicly signed.
        const c = r.certificate;
        if (c) return { ok: true, status: r.status, untrustedCertificate: c.fake || c.subject === c.issuer ? 'self-signed' : 'unknown-issuer' };
        if (/^https:/i.test(url) && r.servedBy) return { ok: true, status: r.status, untrustedCertificate: 'self-signed' };
        return { ok: true, status: r.status };
      },
    };
  }
}

/**
 * A pod's HTTP answer, whose body is read from the app's reply only when something asks for it
 * (an echo server writes its body lazily: see LazyReply). `toJSON` and `plainAnswer` give the
 * same fields as a plain object, for anything that copies or prints the answer.
 */
export class PodAnswer {
  readonly ok = true as const;
  readonly status: number;
  constructor(
    private readonly reply: HttpReply,
    readonly headers: Record<string, string>,
    readonly servedBy: ServedBy,
    readonly certificate: CertificateInfo | undefined,
    readonly trace: TraceHop[],
  ) {
    this.status = reply.status;
  }

  get body(): string {
    return this.reply.body;
  }

  toJSON(): HttpResult {
    return plainAnswer(this);
  }
}

/** An HTTP result as a plain object (a PodAnswer's body read now), fields in their documented order. */
export function plainAnswer(r: HttpResult): HttpResult {
  if (!(r instanceof PodAnswer)) return r;
  const out: Record<string, unknown> = { ok: true, status: r.status, headers: r.headers, body: r.body, servedBy: r.servedBy };
  if (r.certificate !== undefined) out.certificate = r.certificate;
  out.trace = r.trace;
  return out as HttpResult;
}

/** The parts of a URL a request uses. */
interface UrlParts {
  protocol: string;
  port: string;
  hostname: string;
  pathname: string;
  search: string;
}

/**
 * WHATWG URL parsing, memoised by URL text: a distribution check sends the same URL hundreds of
 * times and parsing it was a noticeable part of a request. Bounded, since probes are few.
 */
const parsedUrls = new Map<string, UrlParts | null>();
function parseUrl(url: string): UrlParts | undefined {
  let r = parsedUrls.get(url);
  if (r === undefined) {
    try {
      const u = new URL(url);
      r = { protocol: u.protocol, port: u.port, hostname: u.hostname, pathname: u.pathname, search: u.search };
    } catch {
      r = null;
    }
    if (parsedUrls.size >= 1000) parsedUrls.clear();
    parsedUrls.set(url, r);
  }
  return r ?? undefined;
}

function firstA(r: Readonly<DnsResult>): string | undefined {
  return r.answers.find((a) => a.type === 'A')?.data;
}

export function servedBy(pod: Pod): ServedBy {
  const out: ServedBy = { pod: pod.metadata.name, namespace: pod.metadata.namespace!, node: pod.spec.nodeName, ip: pod.status?.podIP };
  const labels = pod.metadata.labels;
  // The stored pod's own labels, which nobody may change (stored objects are immutable): frozen
  // so that a check holding them cannot either.
  if (labels) out.labels = Object.isFrozen(labels) ? labels : Object.freeze(labels);
  return out;
}

/** `{ ...a, ...b }`, written into `a` (a fresh object) instead of building a third one. */
function mergeHeaders(a: Record<string, string>, b: Record<string, string>): Record<string, string> {
  for (const k of Object.keys(b)) a[k] = b[k]!;
  return a;
}

function lowerKeys(h: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k of Object.keys(h)) out[k.toLowerCase()] = h[k]!;
  return out;
}

function parseCookieHeader(h: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (!h) return out;
  for (const part of h.split(';')) {
    const i = part.indexOf('=');
    if (i > 0) out[part.slice(0, i).trim()] = part.slice(i + 1).trim();
  }
  return out;
}

function parseSetCookie(h: string | undefined): Record<string, string> {
  if (!h) return {};
  const first = h.split(';')[0]!;
  const i = first.indexOf('=');
  return i > 0 ? { [first.slice(0, i).trim()]: first.slice(i + 1).trim() } : {};
}
