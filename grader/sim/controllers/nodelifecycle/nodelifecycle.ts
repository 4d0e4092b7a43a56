/**
 * Node lifecycle and taint-based eviction (pkg/controller/nodelifecycle,
 * pkg/controller/tainteviction). A node whose kubelet stopped heartbeating for
 * node-monitor-grace-period (40 s on 1.31) gets Ready=Unknown ("Kubelet stopped posting node
 * status."), the node.kubernetes.io/unreachable NoExecute and NoSchedule taints, and its pods
 * Ready=False (MarkPodsNotReady), so they leave Service endpoints. Pods are then deleted when
 * their toleration of the NoExecute taint runs out (300 s by DefaultTolerationSeconds; at once
 * without a toleration; never for an unbounded one). The kubelet being gone, they stay
 * Terminating. A heartbeat again (node restored) clears the taints.
 * Simplification: the heartbeat stops the instant the node is stopped (the real lease renews
 * every 10 s and the monitor runs every 5 s, so NotReady comes 40–55 s after the stop).
 */
import type { WatchEvent } from '../../api/store.ts';
import type { KubeObject, Node, Pod, Toleration } from '../../api/types.ts';
import type { Controller } from '../../runtime/controller-manager.ts';
import type { ClusterContext } from '../../runtime/context.ts';
import { workloadState } from '../../nodes/state.ts';
import { nodeReadyStatus, readyConditions } from '../../nodes/topology.ts';
import { setCondition } from '../../kubelet/conditions.ts';
import { type Taint, toleratesTaint } from '../../scheduler/taints.ts';
import { ApiError } from '../../../errors.ts';
import { cloneApi } from '../../api/clone.ts';

export const NODE_LIFECYCLE = 'nodelifecycle';
const SOURCE = 'node-controller';
export const UNREACHABLE = 'node.kubernetes.io/unreachable';
export const NOT_READY = 'node.kubernetes.io/not-ready';

/**
 * When a pod must go given a node's NoExecute taints: 'now', a time, or never (undefined).
 * The toleration counts from when the taint-eviction controller first saw the pod on the
 * tainted node (`firstSeenMs`; tainteviction's processPodOnNode starts the clock at "now"
 * unless an eviction is already queued), so a pod created later on a tainted node gets its
 * own full tolerationSeconds rather than being evicted at once.
 */
export function evictionTime(pod: Pod, taints: Taint[], nowMs: number, firstSeenMs?: number): number | 'now' | undefined {
  const noExec = taints.filter((t) => t.effect === 'NoExecute');
  if (noExec.length === 0) return undefined;
  let minSeconds = Infinity;
  let since = 0;
  for (const t of noExec) {
    const tols = (pod.spec.tolerations ?? []).filter((x: Toleration) => toleratesTaint(x, t));
    if (tols.length === 0) return 'now';
    for (const x of tols) if (x.tolerationSeconds !== undefined && x.tolerationSeconds !== null) minSeconds = Math.min(minSeconds, Math.max(0, x.tolerationSeconds));
    since = Math.max(since, t.timeAdded ? Date.parse(t.timeAdded) : nowMs);
  }
  if (firstSeenMs !== undefined) since = Math.max(since, firstSeenMs);
  if (minSeconds === Infinity) return undefined;
  return since + minSeconds * 1000;
}

export class NodeLifecycleController implements Controller {
  readonly name = NODE_LIFECYCLE;
  /** Pod uid → when the eviction clock started for it (tainteviction's queue CreatedAt). */
  private readonly evictionClock = new Map<string, number>();
  constructor(private readonly ctx: ClusterContext) {}

  keysFor(ev: WatchEvent): string[] {
    const o = ev.object;
    if (o.kind === 'Node') return ev.type === 'DELETED' ? [] : [o.metadata.name];
    // A pod landing on (or changing tolerations on) a NoExecute-tainted node needs a verdict.
    if (o.kind === 'Pod' && ev.type !== 'DELETED') {
      const node = (o as Pod).spec?.nodeName;
      if (!node || o.metadata.deletionTimestamp) return [];
      const n = this.ctx.store.get('Node', undefined, node) as Node | undefined;
      return n?.spec?.taints?.some((t) => t.effect === 'NoExecute') ? [node] : [];
    }
    return [];
  }

  sync(name: string): void {
    const node = this.ctx.store.get('Node', undefined, name) as Node | undefined;
    if (!node) return;
    const state = workloadState(this.ctx);
    const now = this.ctx.clock.now();
    const grace = this.ctx.config.nodeMonitorGracePeriodSeconds * 1000;
    if (!state.nodes.isUp(name)) {
      const since = state.nodes.lastHeartbeat(name) ?? now;
      if (now - since >= grace) {
        if (nodeReadyStatus(node) !== 'Unknown') this.markUnreachable(node, since);
      } else {
        this.ctx.controllers.enqueueAfter(NODE_LIFECYCLE, name, since + grace - now);
      }
    } else if (nodeReadyStatus(node) !== 'True' || node.spec.taints?.some((t) => t.key === UNREACHABLE || t.key === NOT_READY)) {
      this.markReady(node);
    }
    this.evict(name);
  }

  private markUnreachable(node: Node, lastHeartbeat: number): void {
    const now = this.ctx.clock.iso();
    const next = cloneApi(node);
    const hb = this.ctx.clock.iso(lastHeartbeat);
    next.status.conditions = next.status.conditions.map((c) => ({
      ...c, status: 'Unknown' as const, reason: 'NodeStatusUnknown', message: 'Kubelet stopped posting node status.', lastHeartbeatTime: hb, lastTransitionTime: now,
    }));
    this.ctx.api.updateStatus(next);
    const withTaints = cloneApi(this.ctx.store.get('Node', undefined, node.metadata.name) as Node);
    const taints = (withTaints.spec.taints ?? []).filter((t) => t.key !== UNREACHABLE && t.key !== NOT_READY);
    taints.push({ key: UNREACHABLE, effect: 'NoSchedule', timeAdded: now }, { key: UNREACHABLE, effect: 'NoExecute', timeAdded: now });
    withTaints.spec.taints = taints;
    this.ctx.api.update(withTaints);
    this.ctx.events.record(SOURCE, node, 'Normal', 'NodeNotReady', `Node ${node.metadata.name} status is now: NodeNotReady`);
    for (const pod of workloadState(this.ctx).cache.podsOnNode(node.metadata.name)) {
      const cond = pod.status?.conditions?.find((c) => c.type === 'Ready');
      if (!cond || cond.status === 'False') continue;
      const p: Pod = { ...pod, status: { ...(pod.status ?? {}) } }; // setCondition replaces conditions, never edits them
      setCondition(p, { ...cond, status: 'False' }, now);
      this.write(() => this.ctx.api.updateStatus(p));
      this.ctx.events.record(SOURCE, pod, 'Warning', 'NodeNotReady', 'Node is not ready');
    }
  }

  private markReady(node: Node): void {
    const now = this.ctx.clock.iso();
    if (nodeReadyStatus(node) !== 'True') {
      const next = cloneApi(node);
      next.status.conditions = readyConditions(now);
      this.ctx.api.updateStatus(next);
      this.ctx.events.record(SOURCE, node, 'Normal', 'NodeReady', `Node ${node.metadata.name} status is now: NodeReady`);
    }
    const cur = this.ctx.store.get('Node', undefined, node.metadata.name) as Node;
    if (cur.spec.taints?.some((t) => t.key === UNREACHABLE || t.key === NOT_READY)) {
      const next = cloneApi(cur);
      const rest = (next.spec.taints ?? []).filter((t) => t.key !== UNREACHABLE && t.key !== NOT_READY);
      if (rest.length) next.spec.taints = rest;
      else delete next.spec.taints;
      this.ctx.api.update(next);
    }
  }

  /** The taint-eviction controller: delete pods whose NoExecute tolerations ran out. */
  private evict(name: string): void {
    const node = this.ctx.store.get('Node', undefined, name) as Node | undefined;
    if (!node) return;
    const taints = (node.spec.taints ?? []) as Taint[];
    const now = this.ctx.clock.now();
    const pods = workloadState(this.ctx).cache.podsOnNode(name);
    if (!taints.some((t) => t.effect === 'NoExecute')) {
      // Taints gone (the node came back): pending evictions are cancelled.
      for (const pod of pods) if (pod.metadata.uid) this.evictionClock.delete(pod.metadata.uid);
      return;
    }
    let soonest = Infinity;
    for (const pod of pods) {
      if (pod.metadata.deletionTimestamp) continue;
      const uid = pod.metadata.uid ?? `${pod.metadata.namespace}/${pod.metadata.name}`;
      if (!this.evictionClock.has(uid)) this.evictionClock.set(uid, now);
      const at = evictionTime(pod, taints, now, this.evictionClock.get(uid));
      if (at === undefined) continue;
      if (at === 'now' || at <= now) {
        const p: Pod = { ...pod, status: { ...(pod.status ?? {}) } }; // setCondition replaces conditions, never edits them
        setCondition(p, { type: 'DisruptionTarget', status: 'True', reason: 'DeletionByTaintManager', message: 'Taint manager: deleting due to NoExecute taint' }, this.ctx.clock.iso());
        this.write(() => this.ctx.api.updateStatus(p));
        this.ctx.events.record('taint-eviction-controller', pod, 'Normal', 'TaintManagerEviction', `Marking for deletion Pod ${pod.metadata.namespace ?? 'default'}/${pod.metadata.name}`);
        this.write(() => this.ctx.api.delete('Pod', pod.metadata.namespace, pod.metadata.name));
      } else soonest = Math.min(soonest, at);
    }
    if (soonest !== Infinity) this.ctx.controllers.enqueueAfter(NODE_LIFECYCLE, name, soonest - now);
  }

  private write(f: () => unknown): void {
    try {
      f();
    } catch (err) {
      if (!(err instanceof ApiError)) throw err;
    }
  }
}

/**
 * Pod garbage collection of orphans (pkg/controller/podgc/gc_controller.go gcOrphaned): pods
 * bound to a node that no longer exists are force-deleted once the node has been missing for
 * the 40 s quarantine.
 */
export const POD_GC = 'podgc';
const QUARANTINE_MS = 40_000;

export class PodGCController implements Controller {
  readonly name = POD_GC;
  private missingSince = new Map<string, number>();
  constructor(private readonly ctx: ClusterContext) {}

  keysFor(ev: WatchEvent): string[] {
    const o = ev.object;
    if (o.kind === 'Node') {
      if (ev.type === 'DELETED') return [o.metadata.name];
      this.missingSince.delete(o.metadata.name);
      return [];
    }
    if (o.kind === 'Pod' && ev.type === 'ADDED') {
      const n = (o as Pod).spec?.nodeName;
      if (n && !this.ctx.store.get('Node', undefined, n)) return [n];
    }
    return [];
  }

  sync(node: string): void {
    if (this.ctx.store.get('Node', undefined, node)) return;
    const now = this.ctx.clock.now();
    if (!this.missingSince.has(node)) this.missingSince.set(node, now);
    const left = this.missingSince.get(node)! + QUARANTINE_MS - now;
    if (left > 0) {
      this.ctx.controllers.enqueueAfter(POD_GC, node, left);
      return;
    }
    for (const pod of workloadState(this.ctx).cache.podsOnNode(node)) {
      this.ctx.events.record('pod-garbage-collector', pod as KubeObject, 'Normal', 'PodGC', `Deleting orphaned pod ${pod.metadata.namespace ?? 'default'}/${pod.metadata.name} bound to non-existent node ${node}`);
      try {
        this.ctx.api.delete('Pod', pod.metadata.namespace, pod.metadata.name, { gracePeriodSeconds: 0, force: true });
      } catch (err) {
        if (!(err instanceof ApiError)) throw err;
      }
    }
  }
}
