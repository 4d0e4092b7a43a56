/**
 * The networking read model: indexes over the object store that kube-proxy, CoreDNS,
 * ingress-nginx and the probes look things up in (Service by ClusterIP, NodePort, LB IP;
 * EndpointSlices by Service; Pod by IP; Node by IP). Kept up to date incrementally from
 * watch events, so a probe never rescans every object (1,000 Services / 5,000 pods).
 */
import type { ObjectStore, WatchEvent } from '../api/store.ts';
import type { EndpointSlice, KubeObject, Node, Pod, Service } from '../api/types.ts';
import { SERVICE_NAME_LABEL, isPodTerminal, nodeInternalIP, podIP, portProtocol, svcKey } from './objects.ts';

/** What the network parts read. Narrow, so tests can hand in a store with a few objects. */
export interface NetworkState {
  readonly store: ObjectStore;
  service(namespace: string, name: string): Service | undefined;
  serviceByClusterIP(ip: string): Service | undefined;
  /** The Service owning a nodePort (protocol-qualified). */
  serviceByNodePort(port: number, protocol?: string): Service | undefined;
  serviceByLoadBalancerIP(ip: string): Service | undefined;
  servicesByExternalIP(ip: string): Service[];
  /** Every EndpointSlice labelled kubernetes.io/service-name=<name> in the namespace (controller-made, mirrored or user-made). */
  slicesFor(namespace: string, name: string): EndpointSlice[];
  /** The live (non-terminal) pod holding a pod IP; hostNetwork pods are not indexed by IP. */
  podByIP(ip: string): Pod | undefined;
  node(name: string): Node | undefined;
  nodeByIP(ip: string): Node | undefined;
  nodes(): Node[];
  nodeIP(name: string): string | undefined;
  /** Bumped on every change that can alter routing (for caches in the proxy and ingress). */
  readonly version: number;
}

export class StoreNetworkState implements NetworkState {
  private byClusterIP = new Map<string, string>();
  private byNodePort = new Map<string, string>();
  private byLbIP = new Map<string, string>();
  private byExternalIP = new Map<string, Set<string>>();
  private slices = new Map<string, Map<string, EndpointSlice>>();
  private podsByIP = new Map<string, Set<string>>();
  private nodesByIP = new Map<string, string>();
  private _version = 0;
  private podIPCache = { version: -1, byIP: new Map<string, Pod | undefined>() };

  constructor(readonly store: ObjectStore) {
    for (const kind of ['Service', 'EndpointSlice', 'Pod', 'Node']) {
      for (const o of store.iterate(kind)) this.add(o);
    }
    store.watch(this);
  }

  get version(): number {
    return this._version;
  }

  service(namespace: string, name: string): Service | undefined {
    return this.store.get('Service', namespace, name) as Service | undefined;
  }

  serviceByClusterIP(ip: string): Service | undefined {
    return this.lookupSvc(this.byClusterIP.get(ip));
  }

  serviceByNodePort(port: number, protocol = 'TCP'): Service | undefined {
    return this.lookupSvc(this.byNodePort.get(`${protocol}/${port}`));
  }

  serviceByLoadBalancerIP(ip: string): Service | undefined {
    return this.lookupSvc(this.byLbIP.get(ip));
  }

  servicesByExternalIP(ip: string): Service[] {
    return [...(this.byExternalIP.get(ip) ?? [])].sort().map((k) => this.lookupSvc(k)).filter((s): s is Service => !!s);
  }

  slicesFor(namespace: string, name: string): EndpointSlice[] {
    const m = this.slices.get(svcKey(namespace, name));
    if (!m) return [];
    return [...m.values()].sort((a, b) => (a.metadata.name < b.metadata.name ? -1 : 1));
  }

  podByIP(ip: string): Pod | undefined {
    // Answers are kept until the next change (every probe asks for the pods on its path).
    if (this.podIPCache.version !== this._version) this.podIPCache = { version: this._version, byIP: new Map() };
    const hit = this.podIPCache.byIP.get(ip);
    if (hit !== undefined || this.podIPCache.byIP.has(ip)) return hit;
    const p = this.findPodByIP(ip);
    this.podIPCache.byIP.set(ip, p);
    return p;
  }

  private findPodByIP(ip: string): Pod | undefined {
    const keys = this.podsByIP.get(ip);
    if (!keys) return undefined;
    let fallback: Pod | undefined;
    for (const k of [...keys].sort()) {
      const [ns, name] = k.split('/') as [string, string];
      const p = this.store.get('Pod', ns, name) as Pod | undefined;
      if (!p) continue;
      if (!isPodTerminal(p)) return p;
      fallback ??= p;
    }
    return fallback;
  }

  node(name: string): Node | undefined {
    return this.store.get('Node', undefined, name) as Node | undefined;
  }

  nodeByIP(ip: string): Node | undefined {
    const n = this.nodesByIP.get(ip);
    return n ? this.node(n) : undefined;
  }

  nodes(): Node[] {
    return this.store.list('Node') as Node[];
  }

  nodeIP(name: string): string | undefined {
    const n = this.node(name);
    return n ? nodeInternalIP(n) : undefined;
  }

  private lookupSvc(key: string | undefined): Service | undefined {
    if (!key) return undefined;
    const i = key.indexOf('/');
    return this.service(key.slice(0, i), key.slice(i + 1));
  }

  /** WatchListener: called by the store for every write. */
  onWatchEvent(ev: WatchEvent): void {
    const k = ev.object.kind;
    if (k !== 'Service' && k !== 'EndpointSlice' && k !== 'Pod' && k !== 'Node') return;
    if (ev.old) this.remove(ev.old);
    if (ev.type !== 'DELETED') this.add(ev.object);
    this._version++;
  }

  private add(o: KubeObject): void {
    switch (o.kind) {
      case 'Service': {
        const s = o as Service;
        const key = svcKey(s.metadata.namespace, s.metadata.name);
        for (const ip of clusterIPs(s)) this.byClusterIP.set(ip, key);
        for (const p of s.spec?.ports ?? []) if (p.nodePort) this.byNodePort.set(`${portProtocol(p)}/${p.nodePort}`, key);
        for (const ing of s.status?.loadBalancer?.ingress ?? []) if (ing.ip) this.byLbIP.set(ing.ip, key);
        for (const ip of s.spec?.externalIPs ?? []) {
          let set = this.byExternalIP.get(ip);
          if (!set) this.byExternalIP.set(ip, (set = new Set()));
          set.add(key);
        }
        break;
      }
      case 'EndpointSlice': {
        const name = o.metadata.labels?.[SERVICE_NAME_LABEL];
        if (!name) return;
        const key = svcKey(o.metadata.namespace, name);
        let m = this.slices.get(key);
        if (!m) this.slices.set(key, (m = new Map()));
        m.set(o.metadata.name, o as EndpointSlice);
        break;
      }
      case 'Pod': {
        const p = o as Pod;
        const ip = podIP(p);
        if (!ip || p.spec?.hostNetwork) return;
        let set = this.podsByIP.get(ip);
        if (!set) this.podsByIP.set(ip, (set = new Set()));
        set.add(`${p.metadata.namespace}/${p.metadata.name}`);
        break;
      }
      case 'Node': {
        const ip = nodeInternalIP(o as Node);
        if (ip) this.nodesByIP.set(ip, o.metadata.name);
        break;
      }
    }
  }

  private remove(o: KubeObject): void {
    switch (o.kind) {
      case 'Service': {
        const s = o as Service;
        const key = svcKey(s.metadata.namespace, s.metadata.name);
        const del = (m: Map<string, string>, k: string) => { if (m.get(k) === key) m.delete(k); };
        for (const ip of clusterIPs(s)) del(this.byClusterIP, ip);
        for (const p of s.spec?.ports ?? []) if (p.nodePort) del(this.byNodePort, `${portProtocol(p)}/${p.nodePort}`);
        for (const ing of s.status?.loadBalancer?.ingress ?? []) if (ing.ip) del(this.byLbIP, ing.ip);
        for (const ip of s.spec?.externalIPs ?? []) this.byExternalIP.get(ip)?.delete(key);
        break;
      }
      case 'EndpointSlice': {
        const name = o.metadata.labels?.[SERVICE_NAME_LABEL];
        if (name) this.slices.get(svcKey(o.metadata.namespace, name))?.delete(o.metadata.name);
        break;
      }
      case 'Pod': {
        const ip = podIP(o as Pod);
        if (ip) this.podsByIP.get(ip)?.delete(`${o.metadata.namespace}/${o.metadata.name}`);
        break;
      }
      case 'Node': {
        const ip = nodeInternalIP(o as Node);
        if (ip && this.nodesByIP.get(ip) === o.metadata.name) this.nodesByIP.delete(ip);
        break;
      }
    }
  }
}

function clusterIPs(s: Service): string[] {
  const ips = new Set<string>();
  if (s.spec?.clusterIP && s.spec.clusterIP !== 'None') ips.add(s.spec.clusterIP);
  for (const ip of s.spec?.clusterIPs ?? []) if (ip !== 'None') ips.add(ip);
  return [...ips];
}
