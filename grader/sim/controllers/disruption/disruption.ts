/**
 * The disruption controller (kube-controller-manager): keeps every PodDisruptionBudget's status
 * — currentHealthy, desiredHealthy, expectedPods, disruptionsAllowed, observedGeneration and the
 * DisruptionAllowed condition — in step with the pods its selector matches. Pod events enqueue
 * the PDBs whose selector matches the pod's old or new labels; controllers' scale is read when a
 * PDB syncs (upstream has no handlers on them either). There is no eviction API in the
 * simulator, so status.disruptedPods stays empty.
 * Source: pkg/controller/disruption/disruption.go (1.31).
 */
import type { WatchEvent } from '../../api/store.ts';
import { type KubeObject, type OwnerReference, type Pod, selectorMatches } from '../../api/types.ts';
import type { Controller } from '../../runtime/controller-manager.ts';
import type { ClusterContext } from '../../runtime/context.ts';
import { type ControllerScale, computePdb, pdbStatus } from './status.ts';

export const DISRUPTION = 'disruption';
/** The disruption controller's event recorder names the controller manager as its source. */
const SOURCE = 'controllermanager';

function key(o: KubeObject): string {
  return `${o.metadata.namespace ?? 'default'}/${o.metadata.name}`;
}

export class DisruptionController implements Controller {
  readonly name = DISRUPTION;
  /** The last NoPods/UnmanagedPods event per PDB, so a sync that changes nothing does not repeat it. */
  private readonly noted = new Map<string, string>();

  constructor(private readonly ctx: ClusterContext) {}

  keysFor(ev: WatchEvent): string[] {
    const o = ev.object;
    if (o.kind === 'PodDisruptionBudget') {
      if (ev.type === 'DELETED') this.noted.delete(key(o));
      return ev.type === 'DELETED' ? [] : [key(o)];
    }
    if (o.kind !== 'Pod' || this.ctx.store.count('PodDisruptionBudget') === 0) return [];
    const ns = o.metadata.namespace ?? 'default';
    const out: string[] = [];
    for (const pdb of this.ctx.store.iterate('PodDisruptionBudget')) {
      if ((pdb.metadata.namespace ?? 'default') !== ns) continue;
      const sel = pdb.spec?.selector;
      if (selectorMatches(sel, o.metadata.labels) || (ev.old && selectorMatches(sel, ev.old.metadata.labels))) out.push(key(pdb));
    }
    return out;
  }

  sync(k: string): void {
    const i = k.indexOf('/');
    const ns = k.slice(0, i);
    const pdb = this.ctx.store.get('PodDisruptionBudget', ns, k.slice(i + 1));
    if (!pdb) return;
    // getPodsForPdb: a null selector selects nothing; policy/v1's empty selector selects every pod.
    const pods = (this.ctx.store.list('Pod', ns) as Pod[]).filter((p) => selectorMatches(pdb.spec?.selector, p.metadata.labels));
    const outcome = computePdb(pdb, pods, (ref, namespace) => this.findScale(ref, namespace));
    if (pods.length === 0) this.note(pdb, 'Normal', 'NoPods', 'No matching pods found');
    else if (outcome.unmanaged.length) {
      this.note(pdb, 'Warning', 'UnmanagedPods', `Pods selected by this PodDisruptionBudget (selector: ${selectorText(pdb.spec?.selector)}) were found to be unmanaged. As a result, the status of the PDB cannot be calculated correctly, which may result in undefined behavior. To account for these pods please set ".spec.minAvailable" field of the PDB to an integer value.`);
    } else if (!outcome.ok) this.note(pdb, 'Warning', 'CalculateExpectedPodCountFailed', `Failed to calculate the number of expected pods: ${outcome.error}`);
    else this.noted.delete(k);
    const status = pdbStatus(pdb, outcome, this.ctx.clock.iso());
    if (JSON.stringify(status) === JSON.stringify(pdb.status ?? {})) return;
    this.ctx.api.updateStatus({ ...pdb, status });
  }

  private note(pdb: KubeObject, type: 'Normal' | 'Warning', reason: string, message: string): void {
    const k = key(pdb);
    if (this.noted.get(k) === reason + message) return;
    this.noted.set(k, reason + message);
    this.ctx.events.record(SOURCE, pdb, type, reason, message);
  }

  /**
   * The finders (getPodReplicaSet, getPodDeployment, getPodReplicationController,
   * getPodStatefulSet): the controllerRef must name a live object with the same uid. A
   * ReplicaSet owned by a Deployment counts as the Deployment. Other owners (DaemonSet, Job)
   * have no scale, so the PDB cannot be computed.
   */
  private findScale(ref: OwnerReference, ns: string): ControllerScale | undefined {
    const group = ref.apiVersion.includes('/') ? ref.apiVersion.split('/')[0] : '';
    const get = (kind: string, name: string) => this.ctx.store.get(kind, ns, name);
    const scaleOf = (o: KubeObject) => ({ uid: o.metadata.uid ?? '', scale: o.spec?.replicas ?? 1 });
    if (ref.kind === 'ReplicaSet' && (group === 'apps' || group === 'extensions')) {
      const rs = get('ReplicaSet', ref.name);
      if (!rs || rs.metadata.uid !== ref.uid) return undefined;
      const owner = rs.metadata.ownerReferences?.find((r) => r.controller);
      if (owner?.kind === 'Deployment') {
        const d = get('Deployment', owner.name);
        return d && d.metadata.uid === owner.uid ? scaleOf(d) : undefined;
      }
      return scaleOf(rs);
    }
    if (ref.kind === 'ReplicationController' && group === '') {
      const rc = get('ReplicationController', ref.name);
      return rc && rc.metadata.uid === ref.uid ? scaleOf(rc) : undefined;
    }
    if (ref.kind === 'StatefulSet' && group === 'apps') {
      const sts = get('StatefulSet', ref.name);
      return sts && sts.metadata.uid === ref.uid ? scaleOf(sts) : undefined;
    }
    return undefined;
  }
}

/** metav1.LabelSelectorAsSelector(...).String(): `app=zk,tier in (a,b)`. */
function selectorText(sel: { matchLabels?: Record<string, string>; matchExpressions?: { key: string; operator: string; values?: string[] }[] } | undefined): string {
  if (!sel) return '';
  const parts = Object.keys(sel.matchLabels ?? {}).sort().map((k) => `${k}=${sel.matchLabels![k]}`);
  for (const e of sel.matchExpressions ?? []) {
    if (e.operator === 'Exists') parts.push(e.key);
    else if (e.operator === 'DoesNotExist') parts.push(`!${e.key}`);
    else parts.push(`${e.key} ${e.operator === 'In' ? 'in' : 'notin'} (${[...(e.values ?? [])].sort().join(',')})`);
  }
  return parts.join(',');
}
