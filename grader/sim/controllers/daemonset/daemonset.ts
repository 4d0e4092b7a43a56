/**
 * The DaemonSet controller (pkg/controller/daemon): one pod per node the pod may run on
 * (nodeSelector, node affinity, NoSchedule/NoExecute taints — the control plane only if
 * tolerated), pinned with a required node affinity on metadata.name and handed to the
 * scheduler; the DaemonSet tolerations it always adds (not-ready, unreachable,
 * unschedulable, pressure); rolling update one node at a time (maxUnavailable 1).
 */
import { compareStrings } from '../../../util/compare.ts';
import type { WatchEvent } from '../../api/store.ts';
import type { KubeObject, Node, Pod, Toleration } from '../../api/types.ts';
import type { Controller } from '../../runtime/controller-manager.ts';
import type { ClusterContext } from '../../runtime/context.ts';
import { workloadState } from '../../nodes/state.ts';
import { isPodAvailable, isPodReady } from '../../kubelet/conditions.ts';
import { firstUntoleratedTaint, matchesNodeSelectorAndAffinity, toleratesTaint } from '../../scheduler/taints.ts';
import { storedTemplateHash, controllerOf, createOrReport, deleteQuietly, isControlledBy, podFromTemplate } from '../replicaset/controller-utils.ts';
import { resolveFenceposts } from '../deployment/rolling.ts';
import { cloneApi } from '../../api/clone.ts';

export const DAEMONSET = 'daemonset';
const SOURCE = 'daemonset-controller';
const HASH_LABEL = 'controller-revision-hash';

function key(o: KubeObject): string {
  return `${o.metadata.namespace ?? 'default'}/${o.metadata.name}`;
}

/** util.AddOrUpdateDaemonPodTolerations (pkg/controller/daemon/util/daemonset_util.go). */
export function daemonTolerations(pod: Pod): Toleration[] {
  const add: Toleration[] = [
    { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute' },
    { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute' },
    { key: 'node.kubernetes.io/disk-pressure', operator: 'Exists', effect: 'NoSchedule' },
    { key: 'node.kubernetes.io/memory-pressure', operator: 'Exists', effect: 'NoSchedule' },
    { key: 'node.kubernetes.io/pid-pressure', operator: 'Exists', effect: 'NoSchedule' },
    { key: 'node.kubernetes.io/unschedulable', operator: 'Exists', effect: 'NoSchedule' },
  ];
  if (pod.spec.hostNetwork) add.push({ key: 'node.kubernetes.io/network-unavailable', operator: 'Exists', effect: 'NoSchedule' });
  const out = [...(pod.spec.tolerations ?? [])];
  for (const t of add) if (!out.some((x) => x.key === t.key && x.effect === t.effect)) out.push(t);
  return out;
}

export class DaemonSetController implements Controller {
  readonly name = DAEMONSET;
  constructor(private readonly ctx: ClusterContext) {}

  keysFor(ev: WatchEvent): string[] {
    const o = ev.object;
    if (o.kind === 'DaemonSet') return ev.type === 'DELETED' ? [] : [key(o)];
    if (o.kind === 'Node') return this.ctx.store.list('DaemonSet').map(key);
    if (o.kind !== 'Pod') return [];
    const out = new Set<string>();
    for (const x of [ev.old, o]) {
      const ref = x && controllerOf(x);
      if (ref?.kind === 'DaemonSet') out.add(`${x!.metadata.namespace ?? 'default'}/${ref.name}`);
    }
    return [...out];
  }

  /** The pod a DaemonSet would run on `node` (its template, pinned, with the daemon tolerations). */
  private podFor(ds: KubeObject, node: string, hash: string): Pod {
    const pod = podFromTemplate(ds, ds.spec?.template ?? {}, { labels: { [HASH_LABEL]: hash, 'pod-template-generation': String(ds.metadata.generation ?? 1) } });
    pod.spec.tolerations = daemonTolerations(pod);
    const affinity = cloneApi(pod.spec.affinity ?? {});
    affinity.nodeAffinity = {
      ...(affinity.nodeAffinity ?? {}),
      requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: [node] }] }] },
    };
    pod.spec.affinity = affinity;
    return pod;
  }

  /**
   * podFor(ds, node, hash) from podFor(ds, anyNode, hash): only the pinning term differs, so
   * the rest is shared (read-only here; create copies what it stores). Same keys in the same
   * order, as the pinned term replaces a value already in place.
   */
  private repin(base: Pod, node: string): Pod {
    const affinity = base.spec.affinity!;
    return {
      ...base,
      spec: {
        ...base.spec,
        affinity: {
          ...affinity,
          nodeAffinity: {
            ...affinity.nodeAffinity,
            requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: [node] }] }] },
          },
        },
      },
    };
  }

  sync(k: string): void {
    const i = k.indexOf('/');
    const ns = k.slice(0, i);
    const ds = this.ctx.store.get('DaemonSet', ns, k.slice(i + 1));
    if (!ds || ds.metadata.deletionTimestamp) return;
    const hash = storedTemplateHash(ds.spec?.template ?? {}, ds.status?.collisionCount);
    const nodes = this.ctx.store.list('Node') as Node[];
    const pods = (workloadState(this.ctx).cache.dependents(ds.metadata.uid, 'Pod') as Pod[]).filter((p) => isControlledBy(p, ds));
    const byNode = new Map<string, Pod[]>();
    for (const p of pods) {
      const n = p.spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms?.[0]?.matchFields?.[0]?.values?.[0] ?? p.spec.nodeName ?? '';
      byNode.set(n, [...(byNode.get(n) ?? []), p]);
    }
    const rolling = (ds.spec?.updateStrategy?.type ?? 'RollingUpdate') === 'RollingUpdate';
    let desired = 0;
    const oldHealthy: Pod[] = [];
    let unavailable = 0;
    const now = this.ctx.clock.now();
    let base: Pod | undefined;
    for (const node of nodes) {
      const probe = base ? this.repin(base, node.metadata.name) : (base = this.podFor(ds, node.metadata.name, hash));
      const fits = matchesNodeSelectorAndAffinity(probe, node);
      const taint = firstUntoleratedTaint(probe, node);
      // nodeShouldRunDaemonPod: NoSchedule taints stop new pods; only NoExecute ones evict running pods.
      const should = fits && !taint;
      const keep = fits && !(node.spec?.taints ?? []).some((t) => t.effect === 'NoExecute' && !daemonTolerations(probe).some((x) => toleratesTaint(x, t)));
      const here = (byNode.get(node.metadata.name) ?? []).filter((p) => !p.metadata.deletionTimestamp);
      byNode.delete(node.metadata.name);
      if (!should) {
        if (!keep) for (const p of here) deleteQuietly(this.ctx, 'Pod', ns, p.metadata.name);
        continue;
      }
      desired++;
      const failed = here.filter((p) => p.status?.phase === 'Failed');
      for (const p of failed) deleteQuietly(this.ctx, 'Pod', ns, p.metadata.name);
      const live = here.filter((p) => p.status?.phase !== 'Failed');
      if (live.length === 0) {
        const terminating = (pods.filter((p) => p.metadata.deletionTimestamp && (p.spec.nodeName === node.metadata.name))).length;
        if (terminating === 0 && createOrReport(this.ctx, SOURCE, ds, probe)) {
          this.ctx.events.record(SOURCE, ds, 'Normal', 'SuccessfulCreate', `Created pod: ${this.lastCreatedName(ds, node.metadata.name)}`);
        }
        unavailable++;
        continue;
      }
      // Extra daemon pods on one node: keep the oldest.
      const sorted = [...live].sort((a, b) => compareStrings(a.metadata.creationTimestamp ?? '', b.metadata.creationTimestamp ?? '') || compareStrings(a.metadata.name, b.metadata.name));
      for (const p of sorted.slice(1)) deleteQuietly(this.ctx, 'Pod', ns, p.metadata.name);
      const p = sorted[0]!;
      if (!isPodAvailable(p, ds.spec?.minReadySeconds ?? 0, now)) unavailable++;
      else if (p.metadata.labels?.[HASH_LABEL] !== hash) oldHealthy.push(p);
    }
    // Pods for nodes that are gone.
    for (const rest of byNode.values()) for (const p of rest) if (!p.metadata.deletionTimestamp) deleteQuietly(this.ctx, 'Pod', ns, p.metadata.name);
    if (rolling) {
      const maxUnavailable = resolveFenceposts(0, ds.spec?.updateStrategy?.rollingUpdate?.maxUnavailable ?? 1, desired).unavailable;
      for (const p of oldHealthy.sort((a, b) => compareStrings(a.metadata.name, b.metadata.name))) {
        if (unavailable >= maxUnavailable) break;
        deleteQuietly(this.ctx, 'Pod', ns, p.metadata.name);
        unavailable++;
      }
    }
    this.updateStatus(ds, hash, desired);
  }

  private lastCreatedName(ds: KubeObject, node: string): string {
    const pods = (workloadState(this.ctx).cache.dependents(ds.metadata.uid, 'Pod') as Pod[])
      .filter((p) => p.spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms?.[0]?.matchFields?.[0]?.values?.[0] === node && !p.metadata.deletionTimestamp);
    return pods[0]?.metadata.name ?? '';
  }

  private updateStatus(ds0: KubeObject, hash: string, desired: number): void {
    const ds = this.ctx.store.get('DaemonSet', ds0.metadata.namespace, ds0.metadata.name) ?? ds0;
    const pods = (workloadState(this.ctx).cache.dependents(ds.metadata.uid, 'Pod') as Pod[]).filter((p) => isControlledBy(p, ds) && !p.metadata.deletionTimestamp);
    const now = this.ctx.clock.now();
    const scheduled = pods.filter((p) => p.spec.nodeName);
    const status = {
      ...(ds.status ?? {}),
      currentNumberScheduled: scheduled.length,
      desiredNumberScheduled: desired,
      numberMisscheduled: 0,
      numberReady: scheduled.filter(isPodReady).length,
      numberAvailable: scheduled.filter((p) => isPodAvailable(p, ds.spec?.minReadySeconds ?? 0, now)).length,
      updatedNumberScheduled: scheduled.filter((p) => p.metadata.labels?.[HASH_LABEL] === hash).length,
      observedGeneration: ds.metadata.generation ?? 1,
    } as Record<string, unknown>;
    const unavail = desired - (status.numberAvailable as number);
    if (unavail > 0) status.numberUnavailable = unavail;
    else delete status.numberUnavailable;
    if (JSON.stringify(status) === JSON.stringify(ds.status ?? {})) return;
    // updateStatus reads only the identity and the status (which it copies): no deep copy.
    this.ctx.api.updateStatus({ ...ds, status });
  }
}
