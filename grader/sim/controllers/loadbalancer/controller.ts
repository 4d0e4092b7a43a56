/**
 * A MetalLB-style LoadBalancer controller (layer 2). It gives each `type: LoadBalancer`
 * Service an address from the pools (status.loadBalancer.ingress[0].ip), keeps it for the
 * Service's whole life, releases it when the Service goes or changes type, and records the
 * events MetalLB records. Without any pool it does nothing: EXTERNAL-IP stays <pending>, as
 * on plain kind. The announcing node (l2.ts) is recomputed as nodes come and go.
 */
import type { WatchEvent } from '../../api/store.ts';
import type { Service } from '../../api/types.ts';
import type { Controller } from '../../runtime/controller-manager.ts';
import type { ClusterContext } from '../../runtime/context.ts';
import type { NetworkState } from '../../network/state.ts';
import { serviceType } from '../../network/objects.ts';
import { allocate, poolOf, poolsFrom, requestedIPs } from './pool.ts';
import { announcingNode } from './l2.ts';
import { cloneApi } from '../../api/clone.ts';

const ALL_PENDING = '*pending';
const ALL_ANNOUNCED = '*announce';
export const IPADDRESSPOOL_KIND = 'IPAddressPool';

const lbIP = (s: Service | undefined) => s?.status?.loadBalancer?.ingress?.find((i) => i.ip)?.ip;
const isOurs = (s: Service) => serviceType(s) === 'LoadBalancer' && !(s.spec as { loadBalancerClass?: string }).loadBalancerClass;

export class LoadBalancerController implements Controller {
  readonly name = 'loadbalancer';
  private announced = new Map<string, string | undefined>();
  private lastFailure = new Map<string, string>();

  constructor(
    private readonly ctx: ClusterContext,
    private readonly state: NetworkState,
    /** Whether a node's kubelet and speaker run (an object, not a closure: see grader/sim/fork). */
    private readonly nodes: { nodeUp(name: string): boolean },
  ) {}

  keysFor(ev: WatchEvent): string[] {
    const o = ev.object;
    switch (o.kind) {
      case 'Service': {
        const keys = [`${o.metadata.namespace}/${o.metadata.name}`];
        const old = ev.old as Service | undefined;
        // An address came free: pending Services may now get it.
        if (old && lbIP(old) && (ev.type === 'DELETED' || !isOurs(o as Service) || lbIP(o as Service) !== lbIP(old))) keys.push(ALL_PENDING);
        return keys;
      }
      case IPADDRESSPOOL_KIND:
        return [ALL_PENDING];
      case 'Node':
        return [ALL_ANNOUNCED];
      case 'EndpointSlice': {
        const svc = o.metadata.labels?.['kubernetes.io/service-name'];
        const s = svc ? this.state.service(o.metadata.namespace!, svc) : undefined;
        return s && isOurs(s) && s.spec.externalTrafficPolicy === 'Local' ? [`${s.metadata.namespace}/${s.metadata.name}`] : [];
      }
      default:
        return [];
    }
  }

  private lbServices(): Service[] {
    const out: Service[] = [];
    for (const s of this.ctx.store.iterate('Service')) if (isOurs(s as Service)) out.push(s as Service);
    return out.sort((a, b) => (`${a.metadata.namespace}/${a.metadata.name}` < `${b.metadata.namespace}/${b.metadata.name}` ? -1 : 1));
  }

  sync(key: string): void {
    if (key === ALL_PENDING) {
      for (const s of this.lbServices()) if (!lbIP(s)) this.syncService(s.metadata.namespace!, s.metadata.name);
      return;
    }
    if (key === ALL_ANNOUNCED) {
      for (const s of this.lbServices()) this.announce(s);
      return;
    }
    const i = key.indexOf('/');
    this.syncService(key.slice(0, i), key.slice(i + 1));
  }

  private syncService(ns: string, name: string): void {
    const key = `${ns}/${name}`;
    const svc = this.state.service(ns, name);
    if (!svc) {
      this.announced.delete(key);
      this.lastFailure.delete(key);
      return;
    }
    const pools = poolsFrom(this.ctx.config.loadBalancerPool, this.ctx.store.list(IPADDRESSPOOL_KIND));
    if (!isOurs(svc)) {
      // Type changed away from LoadBalancer: release the address.
      if (lbIP(svc) && poolOf(pools, lbIP(svc)!)) {
        const next = cloneApi(svc);
        next.status = { ...(next.status ?? {}), loadBalancer: {} };
        this.ctx.api.updateStatus(next);
      }
      this.announced.delete(key);
      return;
    }
    if (pools.length === 0) return; // plain kind: <pending> forever, and no events
    const current = lbIP(svc);
    const wanted = requestedIPs(svc);
    if (current && (wanted.length === 0 || wanted.includes(current))) {
      this.announce(svc);
      return;
    }
    const used = new Map<string, string>();
    for (const s of this.lbServices()) {
      const ip = lbIP(s);
      if (ip && !(s.metadata.namespace === ns && s.metadata.name === name)) used.set(ip, `${s.metadata.namespace}/${s.metadata.name}`);
    }
    const a = allocate(svc, pools, used);
    if (!a.ok) {
      const msg = `Failed to allocate IP for "${key}": ${a.reason}`;
      if (this.lastFailure.get(key) !== msg) {
        this.ctx.events.record('metallb-controller', svc, 'Warning', 'AllocationFailed', msg);
        this.lastFailure.set(key, msg);
      }
      return;
    }
    this.lastFailure.delete(key);
    const next = cloneApi(svc);
    next.status = { ...(next.status ?? {}), loadBalancer: { ingress: [{ ip: a.ip, ipMode: 'VIP' }] } };
    const written = this.ctx.api.updateStatus(next);
    this.ctx.events.record('metallb-controller', written, 'Normal', 'IPAllocated', `Assigned IP ["${a.ip}"]`);
    this.announce(written);
  }

  /** Record the speaker's nodeAssigned event when the announcing node changes. */
  private announce(svc: Service): void {
    const ip = lbIP(svc);
    const key = `${svc.metadata.namespace}/${svc.metadata.name}`;
    if (!ip) return;
    const a = announcingNode(this.state, svc, ip, (n) => this.nodes.nodeUp(n));
    if (this.announced.has(key) && this.announced.get(key) === a.node) return;
    this.announced.set(key, a.node);
    if (a.node) this.ctx.events.record('metallb-speaker', svc, 'Normal', 'nodeAssigned', `announcing from node "${a.node}" with protocol "layer2"`);
  }
}
