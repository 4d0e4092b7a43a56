/**
 * The packet path of one TCP connection, hop by hop, with a trace that teaches: from a pod or
 * from the host, to a Service ClusterIP, a NodePort, a LoadBalancer IP (via the MetalLB
 * speaker's node), a hostPort, a pod IP, or the (simulated) Internet, through kube-proxy, to
 * the container that listens — or the reason it fails: `connection refused` (REJECT rule, or
 * nothing listening), `timed out` (dropped, node down, unroutable), `no route to host`.
 */
import type { TraceHop } from '../../../backend/types.ts';
import type { Pod, Service } from '../../api/types.ts';
import type { NetworkState } from '../state.ts';
import type { KubeProxy } from '../kubeproxy/proxy.ts';
import { isPodTerminal } from '../objects.ts';
import { isInternetHost } from '../dns/internet.ts';
import { inCidr } from '../ip.ts';
import type { PodListener, PodRuntime } from '../runtime.ts';
import type { Announcement } from '../../controllers/loadbalancer/l2.ts';
import type { Client } from './origin.ts';

export type Delivery =
  | { ok: true; to: 'pod'; pod: Pod; port: number; listener: PodListener; sourceIP: string; trace: TraceHop[] }
  | { ok: true; to: 'internet'; ip: string; port: number; trace: TraceHop[] }
  | { ok: false; error: 'connection refused' | 'timed out' | 'no route to host'; trace: TraceHop[] };

export interface PathDeps {
  state: NetworkState;
  proxy: KubeProxy;
  runtime: PodRuntime;
  announcer(svc: Service, ip: string): Announcement;
  /** kind's extraPortMappings: host ports forwarded to the control-plane node (80/443 with ingress). */
  hostPortMappings(): { hostPort: number; node: string; nodePort: number }[];
  /** The cluster's pod network (kind: 10.244.0.0/16): an unknown address there has no host behind it. */
  podCIDR?: string;
}

/** kube-proxy passes one connection may take (a NodePort endpoint reached through a ClusterIP). */
const MAX_PROXY_PASSES = 3;

const fail = (error: 'connection refused' | 'timed out' | 'no route to host', trace: TraceHop[], component: string, detail: string): Delivery => {
  trace.push({ component, detail });
  return { ok: false, error, trace };
};

const acceptSentences = new WeakMap<PodListener, string>();
const podName = (pod: Pod) => `${pod.metadata.namespace}/${pod.metadata.name}`;

export class PacketPath {
  private hostPorts = { version: -1, byKey: new Map<string, { pod: Pod; containerPort: number } | undefined>() };

  constructor(private readonly d: PathDeps) {}

  connect(client: Client, ip: string, port: number, connectionKey?: string): Delivery {
    const trace: TraceHop[] = [];
    const { state } = this.d;
    if (client.kind === 'external') {
      if (ip === '127.0.0.1' || ip === 'localhost') {
        const m = this.d.hostPortMappings().find((x) => x.hostPort === port);
        if (!m) return fail('connection refused', trace, 'client', `nothing listens on localhost:${port} on the host (kind maps no such port)`);
        const nodeIP = state.nodeIP(m.node)!;
        trace.push({ component: 'node', detail: `kind's extraPortMappings forward localhost:${port} to node ${m.node} (${nodeIP}:${m.nodePort})` });
        return this.atNode(client, nodeIP, m.nodePort, connectionKey, trace);
      }
      if (state.nodeByIP(ip)) return this.atNode(client, ip, port, connectionKey, trace);
      const lb = state.serviceByLoadBalancerIP(ip);
      if (lb) {
        const a = this.d.announcer(lb, ip);
        if (!a.node) return fail('timed out', trace, 'loadbalancer', `${a.why}; nobody answers ARP for ${ip}, so the connection times out`);
        trace.push({ component: 'loadbalancer', detail: a.why });
        return this.viaProxy(client, ip, port, a.node, connectionKey, trace);
      }
      if (isInternetHost(ip)) return this.internet(ip, port, trace);
      return fail('timed out', trace, 'client', `${ip} is not reachable from the host: only node IPs, NodePorts, LoadBalancer IPs and kind's port mappings are (ClusterIPs and pod IPs live inside the cluster)`);
    }
    // From a pod.
    if (ip === client.ip || ip === '127.0.0.1') {
      if (!client.pod) return fail('connection refused', trace, 'pod', `nothing listens on port ${port} in the client pod`);
      return this.toPod(client.pod, port, client.ip, trace);
    }
    if (state.nodeByIP(ip)) {
      const hp = this.hostPortPod(ip, port);
      if (hp) return this.hostPort(hp, ip, port, client.ip, trace);
    }
    const m = this.d.proxy.match(ip, port);
    if (m) return this.viaProxy(client, ip, port, client.node, connectionKey, trace);
    if (state.nodeByIP(ip)) return this.atNode(client, ip, port, connectionKey, trace);
    if (isInternetHost(ip)) return this.internet(ip, port, trace);
    return this.toPodIP(ip, port, client.ip, trace);
  }

  /**
   * A packet arriving at a node's own address: a hostPort, a NodePort, a hostNetwork process
   * listening on the port, or nothing. `src` is the source the node sees (the client, or the
   * node kube-proxy masqueraded from); `depth` counts kube-proxy passes so an endpoint that
   * points back at a NodePort cannot loop forever.
   */
  private atNode(client: Client, nodeIP: string, port: number, key: string | undefined, trace: TraceHop[], src = client.ip, depth = 0): Delivery {
    const node = this.d.state.nodeByIP(nodeIP)!;
    if (!this.d.runtime.nodeUp(node.metadata.name)) return fail('timed out', trace, 'node', `node ${node.metadata.name} (${nodeIP}) is down, so nothing answers`);
    const hp = this.hostPortPod(nodeIP, port);
    if (hp) return this.hostPort(hp, nodeIP, port, src, trace);
    if (this.d.proxy.match(nodeIP, port)) {
      if (depth >= MAX_PROXY_PASSES) return fail('timed out', trace, 'kube-proxy', `${nodeIP}:${port} leads back into kube-proxy again and again (an endpoint pointing at a NodePort that leads to itself): the connection never completes`);
      return this.viaProxy(client, nodeIP, port, node.metadata.name, key, trace, depth + 1);
    }
    const hn = this.hostNetworkPod(node.metadata.name, port);
    if (hn) {
      trace.push({ component: 'node', detail: `pod ${hn.metadata.namespace}/${hn.metadata.name} uses the node's network (hostNetwork: true), so its process listens on ${nodeIP}:${port} itself` });
      return this.toPod(hn, port, src, trace);
    }
    return fail('connection refused', trace, 'node', `nothing listens on ${nodeIP}:${port} (no hostPort, no NodePort ${port}, no hostNetwork pod listening on it)`);
  }

  /** A running hostNetwork pod on the node whose process listens on the port. */
  private hostNetworkPod(node: string, port: number): Pod | undefined {
    for (const p of this.d.state.store.list('Pod') as Pod[]) {
      if (!p.spec?.hostNetwork || p.spec.nodeName !== node || isPodTerminal(p) || p.status?.phase !== 'Running') continue;
      if (this.d.runtime.listeners(p).some((l) => l.protocol === 'TCP' && l.port === port)) return p;
    }
    return undefined;
  }

  /**
   * The running pod holding a hostPort on a node, kept until the network state moves (it reads
   * only Pods and Nodes): ingress-nginx's hostPorts are on the path of every request through it.
   */
  private hostPortPod(nodeIP: string, port: number): { pod: Pod; containerPort: number } | undefined {
    const version = this.d.state.version;
    if (this.hostPorts.version !== version) this.hostPorts = { version, byKey: new Map() };
    const key = `${nodeIP}|${port}`;
    if (this.hostPorts.byKey.has(key)) return this.hostPorts.byKey.get(key);
    const hp = this.findHostPortPod(nodeIP, port);
    this.hostPorts.byKey.set(key, hp);
    return hp;
  }

  private findHostPortPod(nodeIP: string, port: number): { pod: Pod; containerPort: number } | undefined {
    const node = this.d.state.nodeByIP(nodeIP);
    if (!node) return undefined;
    for (const p of this.d.state.store.iterate('Pod') as IterableIterator<Pod>) {
      if (p.spec?.nodeName !== node.metadata.name || isPodTerminal(p) || p.status?.phase !== 'Running') continue;
      for (const c of p.spec.containers ?? []) for (const cp of c.ports ?? []) if (cp.hostPort === port && (cp.protocol ?? 'TCP') === 'TCP') return { pod: p, containerPort: cp.containerPort };
    }
    return undefined;
  }

  private hostPort(hp: { pod: Pod; containerPort: number }, nodeIP: string, port: number, src: string, trace: TraceHop[]): Delivery {
    trace.push({ component: 'node', detail: `${nodeIP}:${port} is a hostPort of pod ${hp.pod.metadata.namespace}/${hp.pod.metadata.name}: forwarded to its port ${hp.containerPort}` });
    return this.toPod(hp.pod, hp.containerPort, src, trace);
  }

  private viaProxy(client: Client, ip: string, port: number, node: string, key: string | undefined, trace: TraceHop[], depth = 0): Delivery {
    if (!this.d.runtime.nodeUp(node)) return fail('timed out', trace, 'node', `node ${node} is down, so its kube-proxy rules do not run`);
    const d = this.d.proxy.route({ dstIP: ip, dstPort: port, clientIP: client.ip, node, fromPod: client.kind === 'pod', connectionKey: key ? `${client.ip}|${key}` : undefined });
    if (d.kind === 'none') return fail('timed out', trace, 'kube-proxy', `no rule for ${ip}:${port}`);
    trace.push(...d.trace);
    if (d.kind === 'refused') return { ok: false, error: 'connection refused', trace };
    if (d.kind === 'dropped') return { ok: false, error: 'timed out', trace };
    const masq = client.kind === 'external' && d.entry !== 'clusterIP' && d.service.spec.externalTrafficPolicy !== 'Local';
    return this.toEndpoint(client, d.endpoint.ip, d.endpoint.port, masq ? this.d.state.nodeIP(node) ?? client.ip : client.ip, trace, key, depth);
  }

  /**
   * Where a chosen endpoint address leads. kube-proxy (and ingress-nginx) DNAT to whatever
   * address the EndpointSlice holds, and the packet is then routed like any other: a pod IP
   * reaches the pod, a node IP reaches that node (hostPort, NodePort, hostNetwork process), an
   * address outside the cluster leaves through the node's default route. So a Service without
   * selector whose hand-written EndpointSlice names an outside host works, as in a real cluster.
   */
  toEndpoint(client: Client, ip: string, port: number, src: string, trace: TraceHop[], key?: string, depth = 0): Delivery {
    const node = this.d.state.nodeByIP(ip);
    if (node) {
      trace.push({ component: 'node', detail: `endpoint ${ip}:${port} is the address of node ${node.metadata.name}, not a pod IP: the packet goes to the node itself` });
      return this.atNode(client, ip, port, key, trace, src, depth);
    }
    if (this.d.state.podByIP(ip)) return this.toPodIP(ip, port, src, trace);
    if (isInternetHost(ip)) {
      trace.push({ component: 'node', detail: `endpoint ${ip}:${port} is outside the cluster: the node routes it out through its default gateway` });
      return this.internet(ip, port, trace);
    }
    if (this.inPodNetwork(ip)) return fail('no route to host', trace, 'pod', `no pod has IP ${ip}`);
    return fail('timed out', trace, 'node', `endpoint ${ip}:${port} is outside the cluster and the simulator's stand-in Internet has no host there (only example.com/.net/.org and their names), so the connection times out`);
  }

  toPodIP(ip: string, port: number, src: string, trace: TraceHop[]): Delivery {
    const pod = this.d.state.podByIP(ip);
    if (!pod) return fail('no route to host', trace, 'pod', `no pod has IP ${ip}`);
    return this.toPod(pod, port, src, trace);
  }

  private inPodNetwork(ip: string): boolean {
    const cidr = this.d.podCIDR;
    return !cidr || inCidr(ip, cidr);
  }

  toPod(pod: Pod, port: number, src: string, trace: TraceHop[]): Delivery {
    if (!this.d.runtime.nodeUp(pod.spec.nodeName)) return fail('timed out', trace, 'node', `pod ${podName(pod)} is on node ${pod.spec.nodeName}, which is down: the packet is lost and the client times out`);
    if (isPodTerminal(pod)) return fail('no route to host', trace, 'pod', `pod ${podName(pod)} has finished (${pod.status?.phase})`);
    const all = this.d.runtime.listeners(pod);
    let l: PodListener | undefined;
    for (const x of all) if (x.protocol === 'TCP' && x.port === port) { l = x; break; }
    if (!l) {
      const ports = [...new Set(all.filter((x) => x.protocol === 'TCP').map((x) => x.port))].join(', ');
      return fail('connection refused', trace, 'pod', `nothing listens on port ${port} in pod ${podName(pod)}${ports ? ` (it listens on ${ports})` : ''}`);
    }
    if (!l.running) return fail('connection refused', trace, 'pod', `container ${l.container.name} of pod ${podName(pod)} is not running, so port ${port} is closed`);
    // The listener objects belong to one pod object (runtime.ts caches them per pod), so the
    // sentence is kept with them rather than built for every request.
    let accepts = acceptSentences.get(l);
    if (accepts === undefined) acceptSentences.set(l, (accepts = `pod ${podName(pod)} (${pod.status?.podIP} on ${pod.spec.nodeName}) accepts on port ${port} (container ${l.container.name}, ${l.app})`));
    trace.push({ component: 'pod', detail: accepts });
    return { ok: true, to: 'pod', pod, port, listener: l, sourceIP: src, trace };
  }

  private internet(ip: string, port: number, trace: TraceHop[]): Delivery {
    trace.push({ component: 'internet', detail: `${ip}:${port} is outside the cluster; the simulator's stand-in host accepts` });
    return { ok: true, to: 'internet', ip, port, trace };
  }
}
