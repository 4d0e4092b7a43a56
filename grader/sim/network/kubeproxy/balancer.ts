/**
 * How kube-proxy picks a backend for a new connection. Two implementations share this
 * interface and one conformance suite (balancer.case.ts):
 * - iptables (kind's default): a chain of `statistic --mode random --probability 1/(n−i)`
 *   rules, so every new connection draws at random (k8s pkg/proxy/iptables/proxier.go);
 * - ipvs: the `rr` scheduler, strict round-robin per virtual server (k8s pkg/proxy/ipvs).
 * Both keep established connections on their backend (conntrack) and implement
 * sessionAffinity: ClientIP (iptables `recent` module; IPVS persistence).
 */
import type { Rng } from '../../../util/rng.ts';

export interface BackendEndpoint {
  ip: string;
  port: number;
  nodeName?: string;
  pod?: { namespace: string; name: string };
}

export interface PickRequest {
  /** The Service port (KUBE-SVC chain): scope of iptables affinity. e.g. `default/web:http`. */
  servicePort: string;
  /** The virtual address entered (`10.96.0.5:80/TCP`, `172.18.0.3:30080/TCP`): scope of IPVS state. */
  virtualServer: string;
  /** Usable endpoints, already filtered by traffic policy; never empty. */
  endpoints: readonly BackendEndpoint[];
  clientIP: string;
  /** Requests sharing a key reuse one established connection. */
  connectionKey?: string;
  /** Set when the Service has sessionAffinity: ClientIP. */
  affinityTimeoutSeconds?: number;
}

export interface PickResult {
  endpoint: BackendEndpoint;
  /** new = a fresh choice; affinity = ClientIP stickiness; connection = an established connection. */
  reason: 'new' | 'affinity' | 'connection';
  /** One sentence for the trace. */
  detail: string;
}

export interface Balancer {
  readonly mode: 'iptables' | 'ipvs';
  pick(req: PickRequest): PickResult | undefined;
}

export interface TimeSource {
  now(): number;
}

export const epKey = (e: BackendEndpoint) => `${e.ip}:${e.port}`;

/** conntrack: an established connection keeps its backend while that backend exists. */
export class ConnectionTable {
  private conns = new Map<string, string>();
  lookup(req: PickRequest): BackendEndpoint | undefined {
    if (!req.connectionKey) return undefined;
    const k = this.conns.get(`${req.connectionKey}|${req.virtualServer}`);
    return k ? req.endpoints.find((e) => epKey(e) === k) : undefined;
  }
  remember(req: PickRequest, e: BackendEndpoint): void {
    if (req.connectionKey) this.conns.set(`${req.connectionKey}|${req.virtualServer}`, epKey(e));
  }
}

/** Client-IP stickiness with a timeout in virtual time, refreshed on every use (`recent --rcheck --seconds T --reap` then `--set`). */
export class AffinityTable {
  private entries = new Map<string, { ep: string; last: number }>();
  constructor(private readonly clock: TimeSource) {}
  lookup(scope: string, req: PickRequest): { endpoint: BackendEndpoint; ageSeconds: number } | undefined {
    if (req.affinityTimeoutSeconds === undefined) return undefined;
    const e = this.entries.get(`${scope}|${req.clientIP}`);
    if (!e) return undefined;
    const age = this.clock.now() - e.last;
    if (age > req.affinityTimeoutSeconds * 1000) {
      this.entries.delete(`${scope}|${req.clientIP}`);
      return undefined;
    }
    const endpoint = req.endpoints.find((x) => epKey(x) === e.ep);
    return endpoint ? { endpoint, ageSeconds: Math.round(age / 1000) } : undefined;
  }
  remember(scope: string, req: PickRequest, ep: BackendEndpoint): void {
    if (req.affinityTimeoutSeconds === undefined) return;
    this.entries.set(`${scope}|${req.clientIP}`, { ep: epKey(ep), last: this.clock.now() });
  }
}

/** The shared skeleton: established connection, then affinity, then the mode's own choice. */
export abstract class BaseBalancer implements Balancer {
  abstract readonly mode: 'iptables' | 'ipvs';
  protected readonly conns = new ConnectionTable();
  protected readonly affinity: AffinityTable;
  constructor(
    protected readonly clock: TimeSource,
    protected readonly rng: Rng,
  ) {
    this.affinity = new AffinityTable(clock);
  }

  /** Which state affinity is kept per: the Service port (iptables) or the virtual server (IPVS). */
  protected abstract affinityScope(req: PickRequest): string;
  protected abstract choose(req: PickRequest): { endpoint: BackendEndpoint; detail: string };

  pick(req: PickRequest): PickResult | undefined {
    if (req.endpoints.length === 0) return undefined;
    const established = this.conns.lookup(req);
    if (established) {
      return { endpoint: established, reason: 'connection', detail: `keep-alive connection "${req.connectionKey}" is already established to ${epKey(established)}, so it stays there` };
    }
    const scope = this.affinityScope(req);
    const sticky = this.affinity.lookup(scope, req);
    let result: PickResult;
    if (sticky) {
      result = {
        endpoint: sticky.endpoint,
        reason: 'affinity',
        detail: `sessionAffinity ClientIP: client ${req.clientIP} was sent to ${epKey(sticky.endpoint)} ${sticky.ageSeconds} s ago (timeout ${req.affinityTimeoutSeconds} s), so it goes there again`,
      };
    } else {
      const c = this.choose(req);
      result = { endpoint: c.endpoint, reason: 'new', detail: c.detail };
    }
    this.affinity.remember(scope, req, result.endpoint);
    this.conns.remember(req, result.endpoint);
    return result;
  }
}
