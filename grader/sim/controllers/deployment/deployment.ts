/**
 * The Deployment controller (pkg/controller/deployment): one ReplicaSet per pod template,
 * named `<deployment>-<pod-template-hash>`, rolled with RollingUpdate (maxSurge/maxUnavailable)
 * or Recreate, old ReplicaSets kept up to revisionHistoryLimit, revision annotations, and the
 * status and conditions `kubectl rollout status` reads (Available, Progressing with the 600 s
 * progress deadline).
 */
import { jsonEqual } from '../../api/json-equal.ts';
import { cloneApi } from '../../api/clone.ts';
import type { WatchEvent } from '../../api/store.ts';
import { type KubeObject, type Pod, selectorMatches } from '../../api/types.ts';
import type { Controller } from '../../runtime/controller-manager.ts';
import type { ClusterContext } from '../../runtime/context.ts';
import { workloadState } from '../../nodes/state.ts';
import { storedTemplateHash, controllerOf, controllerRef, createOrReport, deleteQuietly, isControlledBy } from '../replicaset/controller-utils.ts';
import { type RSState, type Scale, recreateStep, resolveFenceposts, rollingStep } from './rolling.ts';

export const DEPLOYMENT = 'deployment';
const SOURCE = 'deployment-controller';
export const REVISION = 'deployment.kubernetes.io/revision';
const DESIRED = 'deployment.kubernetes.io/desired-replicas';
const MAX = 'deployment.kubernetes.io/max-replicas';
const HASH_LABEL = 'pod-template-hash';

function key(o: KubeObject): string {
  return `${o.metadata.namespace ?? 'default'}/${o.metadata.name}`;
}

interface Condition {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  lastUpdateTime: string;
  lastTransitionTime: string;
  reason: string;
  message: string;
}

export class DeploymentController implements Controller {
  readonly name = DEPLOYMENT;
  /** When each Deployment's progress-deadline check is already due, so syncs do not pile up timers. */
  private deadlineChecks = new Map<string, number>();
  /** ReplicaSets without a controller, by namespace: adoption candidates without listing every ReplicaSet per sync. */
  private orphans = new Map<string, Set<string>>();

  constructor(private readonly ctx: ClusterContext) {
    for (const rs of ctx.store.iterate('ReplicaSet')) this.trackOrphan(rs, true);
    ctx.store.watch(this);
  }

  /** WatchListener: keep the per-namespace set of ReplicaSets no Deployment owns. */
  onWatchEvent(ev: WatchEvent): void {
    if (ev.object.kind !== 'ReplicaSet') return;
    if (ev.old) this.trackOrphan(ev.old, false);
    if (ev.type !== 'DELETED') this.trackOrphan(ev.object, true);
  }

  private trackOrphan(rs: KubeObject, add: boolean): void {
    const ns = rs.metadata.namespace ?? 'default';
    if (add && !controllerOf(rs)) {
      let s = this.orphans.get(ns);
      if (!s) this.orphans.set(ns, (s = new Set()));
      s.add(rs.metadata.name);
    } else if (!add) this.orphans.get(ns)?.delete(rs.metadata.name);
  }

  keysFor(ev: WatchEvent): string[] {
    const o = ev.object;
    if (o.kind === 'Deployment') return ev.type === 'DELETED' ? [] : [key(o)];
    if (o.kind === 'ReplicaSet') {
      const out = new Set<string>();
      for (const x of [ev.old, o]) {
        const ref = x && controllerOf(x);
        if (ref?.kind === 'Deployment') out.add(`${x!.metadata.namespace ?? 'default'}/${ref.name}`);
      }
      return [...out];
    }
    // Recreate waits for the old pods to be gone: their deletion must wake the Deployment.
    if (o.kind === 'Pod' && ev.type === 'DELETED') {
      const rsRef = controllerOf(o);
      if (rsRef?.kind !== 'ReplicaSet') return [];
      const rs = this.ctx.store.get('ReplicaSet', o.metadata.namespace, rsRef.name);
      const dRef = rs && controllerOf(rs);
      return dRef?.kind === 'Deployment' ? [`${o.metadata.namespace ?? 'default'}/${dRef.name}`] : [];
    }
    return [];
  }

  sync(k: string): void {
    const i = k.indexOf('/');
    const ns = k.slice(0, i);
    const d = this.ctx.store.get('Deployment', ns, k.slice(i + 1));
    if (!d || d.metadata.deletionTimestamp) return;
    const cache = workloadState(this.ctx).cache;
    this.adoptOrphans(d);
    let rsList = cache.dependents(d.metadata.uid, 'ReplicaSet').filter((rs) => isControlledBy(rs, d));
    const hash = storedTemplateHash(d.spec?.template ?? {}, d.status?.collisionCount);
    let newRS = rsList.find((rs) => rs.metadata.labels?.[HASH_LABEL] === hash);
    let oldRSs = rsList.filter((rs) => rs !== newRS);
    const desired = d.spec?.replicas ?? 1;
    const strategy = d.spec?.strategy?.type ?? 'RollingUpdate';
    let createdNew = false;

    if (d.spec?.paused) {
      this.syncStatus(d, newRS, rsList, false);
      return;
    }
    if (strategy === 'Recreate') {
      const oldPods = oldRSs.flatMap((rs) => cache.dependents(rs.metadata.uid, 'Pod') as Pod[])
        .filter((p) => p.status?.phase !== 'Succeeded' && p.status?.phase !== 'Failed').length;
      const step = recreateStep(desired, newRS && this.state(newRS), oldRSs.map((r) => this.state(r)), oldPods);
      if (step.createNew) {
        newRS = this.createNewRS(d, hash, oldRSs, desired);
        createdNew = !!newRS;
      }
      this.applyScales(d, rsList, step.scales, desired);
    } else {
      if (!newRS) {
        const { surge } = resolveFenceposts(d.spec?.strategy?.rollingUpdate?.maxSurge, d.spec?.strategy?.rollingUpdate?.maxUnavailable, desired);
        const current = oldRSs.reduce((n, r) => n + (r.spec?.replicas ?? 0), 0);
        const initial = Math.max(0, Math.min(desired + surge - current, desired));
        newRS = this.createNewRS(d, hash, oldRSs, initial);
        createdNew = !!newRS;
      } else {
        const scales = rollingStep(desired, d.spec?.strategy?.rollingUpdate?.maxSurge, d.spec?.strategy?.rollingUpdate?.maxUnavailable,
          this.state(newRS), oldRSs.map((r) => this.state(r)));
        this.applyScales(d, rsList, scales, desired);
      }
    }
    this.syncRevision(d, newRS, oldRSs);
    rsList = cache.dependents(d.metadata.uid, 'ReplicaSet').filter((rs) => isControlledBy(rs, d));
    newRS = rsList.find((rs) => rs.metadata.labels?.[HASH_LABEL] === hash);
    oldRSs = rsList.filter((rs) => rs !== newRS);
    const complete = this.syncStatus(d, newRS, rsList, createdNew);
    if (complete) this.cleanup(d, oldRSs);
  }

  private state(rs: KubeObject): RSState {
    return {
      name: rs.metadata.name,
      replicas: rs.spec?.replicas ?? 0,
      available: rs.status?.availableReplicas ?? 0,
      current: rs.status?.replicas ?? 0,
      created: rs.metadata.creationTimestamp ?? '',
    };
  }

  private adoptOrphans(d: KubeObject): void {
    const ns = d.metadata.namespace ?? 'default';
    const names = this.orphans.get(ns);
    if (!names?.size) return;
    // Name order, as listing the namespace would give.
    for (const name of [...names].sort()) {
      const rs = this.ctx.store.get('ReplicaSet', ns, name);
      if (!rs || controllerOf(rs) || rs.metadata.deletionTimestamp || !selectorMatches(d.spec?.selector, rs.metadata.labels)) continue;
      const next = cloneApi(rs);
      next.metadata.ownerReferences = [...(next.metadata.ownerReferences ?? []), controllerRef(d)];
      this.ctx.api.update(next);
    }
  }

  private maxRevision(rsList: KubeObject[]): number {
    return rsList.reduce((m, rs) => Math.max(m, Number(rs.metadata.annotations?.[REVISION] ?? 0) || 0), 0);
  }

  private createNewRS(d: KubeObject, hash: string, oldRSs: KubeObject[], replicas: number): KubeObject | undefined {
    const template = cloneApi(d.spec?.template ?? {});
    template.metadata = { ...(template.metadata ?? {}), labels: { ...(template.metadata?.labels ?? {}), [HASH_LABEL]: hash } };
    const selector = cloneApi(d.spec?.selector ?? {});
    selector.matchLabels = { ...(selector.matchLabels ?? {}), [HASH_LABEL]: hash };
    const desired = d.spec?.replicas ?? 1;
    const { surge } = resolveFenceposts(d.spec?.strategy?.rollingUpdate?.maxSurge, d.spec?.strategy?.rollingUpdate?.maxUnavailable, desired);
    const rs: KubeObject = {
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: {
        name: `${d.metadata.name}-${hash}`,
        namespace: d.metadata.namespace,
        labels: { ...(template.metadata.labels ?? {}) },
        annotations: {
          [DESIRED]: String(desired),
          [MAX]: String(desired + ((d.spec?.strategy?.type ?? 'RollingUpdate') === 'RollingUpdate' ? surge : 0)),
          [REVISION]: String(this.maxRevision(oldRSs) + 1),
        },
        ownerReferences: [controllerRef(d)],
      },
      spec: { replicas, minReadySeconds: d.spec?.minReadySeconds ?? 0, selector, template },
    };
    const created = createOrReport(this.ctx, SOURCE, d, rs);
    if (created && replicas > 0) this.ctx.events.record(SOURCE, d, 'Normal', 'ScalingReplicaSet', `Scaled up replica set ${created.metadata.name} to ${replicas} from 0`);
    return created;
  }

  private applyScales(d: KubeObject, rsList: KubeObject[], scales: Scale[], desired: number): void {
    for (const s of scales) {
      const rs = rsList.find((r) => r.metadata.name === s.name);
      if (!rs) continue;
      const next = cloneApi(rs);
      next.spec.replicas = s.to;
      next.metadata.annotations = { ...(next.metadata.annotations ?? {}), [DESIRED]: String(desired) };
      this.ctx.api.update(next);
      this.ctx.events.record(SOURCE, d, 'Normal', 'ScalingReplicaSet', `Scaled ${s.to > s.from ? 'up' : 'down'} replica set ${s.name} to ${s.to} from ${s.from}`);
    }
  }

  /** The new RS carries the highest revision; the Deployment mirrors it in its annotation. */
  private syncRevision(d: KubeObject, newRS: KubeObject | undefined, oldRSs: KubeObject[]): void {
    if (!newRS) return;
    let rev = newRS.metadata.annotations?.[REVISION];
    const maxOld = this.maxRevision(oldRSs);
    if (!rev || Number(rev) <= maxOld) {
      rev = String(maxOld + 1);
      const cur = this.ctx.store.get('ReplicaSet', newRS.metadata.namespace, newRS.metadata.name);
      if (cur) {
        const next = cloneApi(cur);
        next.metadata.annotations = { ...(next.metadata.annotations ?? {}), [REVISION]: rev };
        this.ctx.api.update(next);
      }
    }
    const curD = this.ctx.store.get('Deployment', d.metadata.namespace, d.metadata.name);
    if (curD && curD.metadata.annotations?.[REVISION] !== rev) {
      const next = cloneApi(curD);
      next.metadata.annotations = { ...(next.metadata.annotations ?? {}), [REVISION]: rev };
      this.ctx.api.update(next);
    }
  }

  /** Old ReplicaSets beyond revisionHistoryLimit, scaled to zero, are deleted oldest first. */
  private cleanup(d: KubeObject, oldRSs: KubeObject[]): void {
    const limit = d.spec?.revisionHistoryLimit ?? 10;
    const idle = oldRSs.filter((rs) => (rs.spec?.replicas ?? 0) === 0 && (rs.status?.replicas ?? 0) === 0 && !rs.metadata.deletionTimestamp)
      .sort((a, b) => (Number(a.metadata.annotations?.[REVISION] ?? 0) - Number(b.metadata.annotations?.[REVISION] ?? 0)));
    for (const rs of idle.slice(0, Math.max(0, idle.length - limit))) deleteQuietly(this.ctx, 'ReplicaSet', rs.metadata.namespace, rs.metadata.name);
  }

  /** calculateStatus + syncRolloutStatus. Returns whether the rollout is complete. */
  private syncStatus(d0: KubeObject, newRS: KubeObject | undefined, rsList: KubeObject[], createdNew: boolean): boolean {
    const d = this.ctx.store.get('Deployment', d0.metadata.namespace, d0.metadata.name) ?? d0;
    const desired = d.spec?.replicas ?? 1;
    // The ReplicaSets' counts summed in one pass (closures per field showed in scenario profiles).
    let replicas = 0, ready = 0, available = 0, totalSpec = 0;
    for (const rs of rsList) {
      replicas += rs.status?.replicas ?? 0;
      ready += rs.status?.readyReplicas ?? 0;
      available += rs.status?.availableReplicas ?? 0;
      totalSpec += rs.spec?.replicas ?? 0;
    }
    const prev = d.status ?? {};
    const status: Record<string, unknown> = {
      observedGeneration: d.metadata.generation ?? 1,
      replicas,
      updatedReplicas: newRS?.status?.replicas ?? 0,
      readyReplicas: ready,
      availableReplicas: available,
    };
    const unavailable = Math.max(0, totalSpec - (status.availableReplicas as number));
    if (unavailable > 0) status.unavailableReplicas = unavailable;
    if (prev.collisionCount !== undefined) status.collisionCount = prev.collisionCount;
    const now = this.ctx.clock.iso();
    const conds: Condition[] = cloneApi(prev.conditions ?? []);
    const set = (c: Omit<Condition, 'lastUpdateTime' | 'lastTransitionTime'>, touch: boolean) => {
      const i = conds.findIndex((x) => x.type === c.type);
      const old = i >= 0 ? conds[i] : undefined;
      if (old && old.status === c.status && old.reason === c.reason && !touch) return;
      // Field by field (every caller passes type, status, reason, message in this order): spreading was slow here.
      const next: Condition = { type: c.type, status: c.status, reason: c.reason, message: c.message, lastUpdateTime: now, lastTransitionTime: old && old.status === c.status ? old.lastTransitionTime : now };
      if (i >= 0) conds[i] = next;
      else conds.push(next);
    };
    const strategy = d.spec?.strategy?.type ?? 'RollingUpdate';
    const maxUnavailable = strategy === 'RollingUpdate'
      ? Math.min(resolveFenceposts(d.spec?.strategy?.rollingUpdate?.maxSurge, d.spec?.strategy?.rollingUpdate?.maxUnavailable, desired).unavailable, desired)
      : 0;
    if ((status.availableReplicas as number) >= desired - maxUnavailable) {
      set({ type: 'Available', status: 'True', reason: 'MinimumReplicasAvailable', message: 'Deployment has minimum availability.' }, false);
    } else {
      set({ type: 'Available', status: 'False', reason: 'MinimumReplicasUnavailable', message: 'Deployment does not have minimum availability.' }, false);
    }
    const rsName = newRS?.metadata.name ?? '';
    const complete = !!newRS && status.updatedReplicas === desired && status.replicas === desired && status.availableReplicas === desired;
    const progressing = conds.find((c) => c.type === 'Progressing');
    const deadline = d.spec?.progressDeadlineSeconds ?? 600;
    if (createdNew) {
      set({ type: 'Progressing', status: 'True', reason: 'NewReplicaSetCreated', message: `Created new replica set "${rsName}"` }, true);
    } else if (complete) {
      set({ type: 'Progressing', status: 'True', reason: 'NewReplicaSetAvailable', message: `ReplicaSet "${rsName}" has successfully progressed.` }, false);
    } else if (!progressing && newRS) {
      set({ type: 'Progressing', status: 'True', reason: 'FoundNewReplicaSet', message: `Found new replica set "${rsName}"` }, true);
    } else if (progressing?.reason === 'NewReplicaSetAvailable' || ((status.updatedReplicas as number) > (prev.updatedReplicas ?? 0)
      || (status.readyReplicas as number) > (prev.readyReplicas ?? 0) || (status.availableReplicas as number) > (prev.availableReplicas ?? 0)
      || (status.replicas as number) < (prev.replicas ?? 0))) {
      set({ type: 'Progressing', status: 'True', reason: 'ReplicaSetUpdated', message: `ReplicaSet "${rsName}" is progressing.` }, true);
    } else if (progressing && progressing.reason !== 'ProgressDeadlineExceeded') {
      const since = Date.parse(progressing.lastUpdateTime);
      if (this.ctx.clock.now() - since >= deadline * 1000) {
        set({ type: 'Progressing', status: 'False', reason: 'ProgressDeadlineExceeded', message: `ReplicaSet "${rsName}" has timed out progressing.` }, true);
      }
    }
    // Available first, as the API lists them once both exist.
    conds.sort((a, b) => (a.type === b.type ? 0 : a.type === 'Available' ? -1 : b.type === 'Available' ? 1 : 0));
    status.conditions = conds;
    if (!jsonEqual(status, prev)) {
      const cleanStatus = JSON.parse(JSON.stringify(status));
      // updateStatus reads only the identity and the status (which it copies): no deep copy of the Deployment.
      this.ctx.api.updateStatus({ ...d, status: cleanStatus });
    }
    const p = conds.find((c) => c.type === 'Progressing');
    if (!complete && p && p.reason !== 'ProgressDeadlineExceeded') {
      const due = Date.parse(p.lastUpdateTime) + deadline * 1000 + 1;
      if (this.deadlineChecks.get(key(d)) !== due) {
        this.deadlineChecks.set(key(d), due);
        this.ctx.controllers.enqueueAfter(DEPLOYMENT, key(d), Math.max(due - this.ctx.clock.now(), 0));
      }
    }
    return complete;
  }
}
