/**
 * kube-scheduler as one controller: every pod without a node is filtered against every node
 * (filters.ts), scored (scoring.ts) and bound; a pod that fits nowhere stays Pending with
 * PodScheduled=False/Unschedulable and a FailedScheduling event, and is retried when
 * something that could make room changes (a node, a pod leaving, a volume), as the
 * scheduling queue's cluster-event hints do.
 */
import { cloneApi } from '../api/clone.ts';
import type { WatchEvent } from '../api/store.ts';
import type { KubeObject, Node, Pod } from '../api/types.ts';
import type { Controller } from '../runtime/controller-manager.ts';
import type { ClusterContext } from '../runtime/context.ts';
import type { WorkloadCache } from '../nodes/cache.ts';
import { workloadState } from '../nodes/state.ts';
import { SchedulerCache } from './cache.ts';
import { type ClusterView, type NodeVerdict, type PodFacts, affinityTerms, filterNode, preFilterVolumes } from './filters.ts';
import { fitErrorMessage } from './fit-error.ts';
import { pickNode } from './scoring.ts';
import { podHostPorts, podRequests } from './resources.ts';
import { setCondition } from '../kubelet/conditions.ts';
import { isBound, isWaitForFirstConsumer, resolveClaimClass, SELECTED_NODE_ANNOTATION } from '../controllers/volume/classes.ts';

export const SCHEDULER = 'scheduler';
const DEFAULT_SCHEDULER = 'default-scheduler';

function podKey(p: KubeObject): string {
  return `${p.metadata.namespace ?? 'default'}/${p.metadata.name}`;
}

function needsScheduling(p: Pod): boolean {
  return !p.spec?.nodeName && !p.metadata.deletionTimestamp && ((p.spec as { schedulerName?: string } | undefined)?.schedulerName ?? DEFAULT_SCHEDULER) === DEFAULT_SCHEDULER
    && p.status?.phase !== 'Succeeded' && p.status?.phase !== 'Failed';
}

export class Scheduler implements Controller {
  readonly name = SCHEDULER;
  private readonly cache: SchedulerCache;
  /** Pods that did not fit, retried on cluster events. */
  private readonly unschedulable = new Set<string>();
  private readonly antiAffinityPods = new Map<string, Pod>();
  /** The sorted node list, rebuilt only after a Node changes (listing per pod would sort 100 nodes 5,000 times). */
  private nodeList: Node[] | undefined;

  constructor(private readonly ctx: ClusterContext, private readonly pods: WorkloadCache) {
    this.cache = new SchedulerCache(ctx.store);
    ctx.store.watch(this);
  }

  /** WatchListener: drop the node list on Node writes; track pods with required anti-affinity. */
  onWatchEvent(ev: WatchEvent): void {
    if (ev.object.kind === 'Node') this.nodeList = undefined;
    if (ev.object.kind !== 'Pod') return;
    const key = podKey(ev.object);
    const p = ev.object as Pod;
    if (ev.type !== 'DELETED' && p.spec?.affinity?.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.length) this.antiAffinityPods.set(key, p);
    else this.antiAffinityPods.delete(key);
  }

  keysFor(ev: WatchEvent): string[] {
    const o = ev.object;
    switch (o.kind) {
      case 'Pod': {
        const p = o as Pod;
        if (ev.type === 'ADDED') return needsScheduling(p) ? [podKey(p)] : [];
        if (ev.type === 'MODIFIED') {
          const old = ev.old as Pod;
          if (needsScheduling(p)) {
            // Our own status writes must not loop; a spec or label change deserves a new attempt.
            const changed = JSON.stringify(old.spec) !== JSON.stringify(p.spec) || JSON.stringify(old.metadata.labels) !== JSON.stringify(p.metadata.labels);
            return changed || !this.unschedulable.has(podKey(p)) ? [podKey(p)] : [];
          }
          // A bound pod finishing frees its node's resources.
          const freed = !!p.spec?.nodeName && old.status?.phase !== p.status?.phase && (p.status?.phase === 'Succeeded' || p.status?.phase === 'Failed');
          return freed ? this.retryAll() : [];
        }
        return (ev.old as Pod | undefined)?.spec?.nodeName ? this.retryAll() : [];
      }
      case 'Node':
        if (ev.type === 'MODIFIED' && !nodeSchedulingChanged(ev.old as Node, o as Node)) return [];
        return this.retryAll();
      case 'PersistentVolumeClaim':
      case 'PersistentVolume':
      case 'StorageClass':
        return this.retryAll();
      default:
        return [];
    }
  }

  private retryAll(): string[] {
    return [...this.unschedulable];
  }

  sync(key: string): void {
    const [ns, name] = splitKey(key);
    const pod = this.ctx.store.get('Pod', ns, name) as Pod | undefined;
    if (!pod || !needsScheduling(pod)) {
      this.unschedulable.delete(key);
      return;
    }
    const nodes = (this.nodeList ??= this.ctx.store.list('Node') as Node[]);
    const pre = preFilterVolumes(this.ctx, pod);
    if (pre.reason !== undefined) {
      this.fail(key, pod, fitErrorMessage(nodes.length, [], pre.reason));
      return;
    }
    const facts: PodFacts = {
      pod,
      requests: podRequests(pod),
      hostPorts: podHostPorts(pod),
      boundVolumes: pre.bound,
      antiAffinity: affinityTerms(pod, 'podAntiAffinity'),
      affinity: affinityTerms(pod, 'podAffinity'),
    };
    let antiAffinityPods: Pod[] | undefined;
    const view: ClusterView = {
      nodes,
      usage: (n) => this.cache.of(n),
      podsOnNode: (n) => this.pods.podsOnNode(n),
      // Asked once per node: one copy per attempt (nothing writes while the nodes are filtered).
      podsWithAntiAffinity: () => (antiAffinityPods ??= [...this.antiAffinityPods.values()]),
    };
    const feasible: Node[] = [];
    const verdicts: NodeVerdict[] = [];
    for (const node of nodes) {
      const v = filterNode(facts, node, view);
      if (v) verdicts.push(v);
      else feasible.push(node);
    }
    if (feasible.length === 0) {
      this.fail(key, pod, fitErrorMessage(nodes.length, verdicts));
      return;
    }
    const chosen = pickNode(pod, feasible, view.usage);
    this.unschedulable.delete(key);
    this.bind(pod, chosen.metadata.name);
  }

  private bind(pod: Pod, node: string): void {
    const ns = pod.metadata.namespace ?? 'default';
    // VolumeBinding PreBind: WaitForFirstConsumer claims learn their node, so the provisioner can act.
    for (const v of pod.spec.volumes ?? []) {
      const claimName = v.persistentVolumeClaim?.claimName;
      if (!claimName) continue;
      const pvc = this.ctx.store.get('PersistentVolumeClaim', ns, claimName);
      if (!pvc || isBound(pvc) || !isWaitForFirstConsumer(resolveClaimClass(this.ctx, pvc))) continue;
      if (pvc.metadata.annotations?.[SELECTED_NODE_ANNOTATION] === node) continue;
      const next = cloneApi(pvc);
      next.metadata.annotations = { ...(next.metadata.annotations ?? {}), [SELECTED_NODE_ANNOTATION]: node };
      this.ctx.api.update(next);
    }
    let bound: Pod;
    if (typeof this.ctx.api.bind === 'function') {
      bound = this.ctx.api.bind(ns, pod.metadata.name, node) as Pod;
    } else {
      // update() copies what it is given: a shallow copy with the node set is enough.
      bound = this.ctx.api.update({ ...pod, spec: { ...pod.spec, nodeName: node } });
    }
    // The binding subresource records PodScheduled=True. A writer without it (update() above)
    // does not: a running kubelet then writes it with its first status in this same instant,
    // so only a pod bound to a stopped node needs it written here.
    const cond = bound.status?.conditions?.find((c) => c.type === 'PodScheduled');
    if (cond?.status !== 'True' && !workloadState(this.ctx).nodes.isUp(node)) {
      const next = cloneApi(bound);
      setCondition(next, { type: 'PodScheduled', status: 'True' }, this.ctx.clock.iso());
      this.ctx.api.updateStatus(next);
    }
    this.ctx.events.record('default-scheduler', pod, 'Normal', 'Scheduled', `Successfully assigned ${ns}/${pod.metadata.name} to ${node}`);
  }

  private fail(key: string, pod: Pod, message: string): void {
    this.unschedulable.add(key);
    const cond = pod.status?.conditions?.find((c) => c.type === 'PodScheduled');
    if (cond?.status === 'False' && cond.reason === 'Unschedulable' && cond.message === message) return;
    const next = cloneApi(pod);
    next.status = { phase: 'Pending', ...(next.status ?? {}) };
    setCondition(next, { type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message }, this.ctx.clock.iso());
    this.ctx.api.updateStatus(next);
    this.ctx.events.record('default-scheduler', pod, 'Warning', 'FailedScheduling', message);
  }
}

function nodeSchedulingChanged(a: Node, b: Node): boolean {
  return JSON.stringify(a.spec) !== JSON.stringify(b.spec)
    || JSON.stringify(a.metadata.labels) !== JSON.stringify(b.metadata.labels)
    || JSON.stringify(a.status?.allocatable) !== JSON.stringify(b.status?.allocatable);
}

export function splitKey(key: string): [string, string] {
  const i = key.indexOf('/');
  return [key.slice(0, i), key.slice(i + 1)];
}
