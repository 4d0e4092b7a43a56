/**
 * The StatefulSet controller: stable identities `<sts>-<ordinal>` with hostname = pod name and
 * subdomain = serviceName, one PVC per volumeClaimTemplate and ordinal `<claim>-<sts>-<ordinal>`
 * (created before the pod, kept on scale-down: the default Retain policy), ordered or parallel
 * pod management and rolling updates (reconcile.ts), and the status kubectl rollout status reads.
 * Sources: pkg/controller/statefulset/stateful_set_utils.go, stateful_set_control.go.
 */
import type { WatchEvent } from '../../api/store.ts';
import type { KubeObject, Pod } from '../../api/types.ts';
import type { Controller } from '../../runtime/controller-manager.ts';
import type { ClusterContext } from '../../runtime/context.ts';
import { workloadState } from '../../nodes/state.ts';
import { isPodAvailable, isPodReady } from '../../kubelet/conditions.ts';
import { storedTemplateHash, controllerOf, createOrReport, deleteQuietly, isControlledBy, podFromTemplate } from '../replicaset/controller-utils.ts';
import { type OrdinalPod, planStatefulSet } from './reconcile.ts';
import { cloneApi } from '../../api/clone.ts';

export const STATEFULSET = 'statefulset';
const SOURCE = 'statefulset-controller';
export const REVISION_LABEL = 'controller-revision-hash';
export const POD_NAME_LABEL = 'statefulset.kubernetes.io/pod-name';
export const POD_INDEX_LABEL = 'apps.kubernetes.io/pod-index';

function key(o: KubeObject): string {
  return `${o.metadata.namespace ?? 'default'}/${o.metadata.name}`;
}

/** The ordinal of a pod named `<sts>-<n>`, or undefined. */
export function ordinalOf(stsName: string, podName: string): number | undefined {
  if (!podName.startsWith(`${stsName}-`)) return undefined;
  const rest = podName.slice(stsName.length + 1);
  return /^(0|[1-9]\d*)$/.test(rest) ? Number(rest) : undefined;
}

export function claimName(claim: string, sts: string, ordinal: number): string {
  return `${claim}-${sts}-${ordinal}`;
}

export class StatefulSetController implements Controller {
  readonly name = STATEFULSET;
  constructor(private readonly ctx: ClusterContext) {}

  keysFor(ev: WatchEvent): string[] {
    const o = ev.object;
    if (o.kind === 'StatefulSet') return ev.type === 'DELETED' ? [] : [key(o)];
    if (o.kind !== 'Pod') return [];
    const out = new Set<string>();
    for (const x of [ev.old, o]) {
      const ref = x && controllerOf(x);
      if (ref?.kind === 'StatefulSet') out.add(`${x!.metadata.namespace ?? 'default'}/${ref.name}`);
    }
    return [...out];
  }

  sync(k: string): void {
    const i = k.indexOf('/');
    const ns = k.slice(0, i);
    const sts = this.ctx.store.get('StatefulSet', ns, k.slice(i + 1));
    if (!sts || sts.metadata.deletionTimestamp) return;
    const name = sts.metadata.name;
    const updateRevision = `${name}-${storedTemplateHash(sts.spec?.template ?? {}, sts.status?.collisionCount)}`;
    const currentRevision: string = sts.status?.currentRevision ?? updateRevision;
    const strategy = sts.spec?.updateStrategy?.type ?? 'RollingUpdate';
    const pods = this.ownedPods(sts);
    const byOrdinal = new Map<number, OrdinalPod>();
    for (const p of pods) {
      const ord = ordinalOf(name, p.metadata.name)!;
      byOrdinal.set(ord, {
        ordinal: ord,
        terminating: !!p.metadata.deletionTimestamp,
        finished: p.status?.phase === 'Failed' || p.status?.phase === 'Succeeded',
        runningAndReady: p.status?.phase === 'Running' && isPodReady(p),
        revision: p.metadata.labels?.[REVISION_LABEL] ?? '',
      });
    }
    const plan = planStatefulSet({
      replicas: sts.spec?.replicas ?? 1,
      parallel: sts.spec?.podManagementPolicy === 'Parallel',
      rollingUpdate: strategy === 'RollingUpdate',
      partition: sts.spec?.updateStrategy?.rollingUpdate?.partition ?? 0,
      currentRevision,
      updateRevision,
      pods: byOrdinal,
    });
    for (const a of plan) {
      const podName = `${name}-${a.ordinal}`;
      if (a.type === 'delete') {
        deleteQuietly(this.ctx, 'Pod', ns, podName);
        this.ctx.events.record(SOURCE, sts, 'Normal', 'SuccessfulDelete', `delete Pod ${podName} in StatefulSet ${name} successful`);
        continue;
      }
      this.createClaims(sts, a.ordinal, podName);
      const pod = this.newPod(sts, a.ordinal, a.revision);
      if (createOrReport(this.ctx, SOURCE, sts, pod)) {
        this.ctx.events.record(SOURCE, sts, 'Normal', 'SuccessfulCreate', `create Pod ${podName} in StatefulSet ${name} successful`);
      }
    }
    this.updateStatus(sts, currentRevision, updateRevision);
  }

  private ownedPods(sts: KubeObject): Pod[] {
    return (workloadState(this.ctx).cache.dependents(sts.metadata.uid, 'Pod') as Pod[])
      .filter((p) => isControlledBy(p, sts) && ordinalOf(sts.metadata.name, p.metadata.name) !== undefined);
  }

  private createClaims(sts: KubeObject, ordinal: number, podName: string): void {
    for (const t of sts.spec?.volumeClaimTemplates ?? []) {
      const n = claimName(t.metadata?.name, sts.metadata.name, ordinal);
      if (this.ctx.store.get('PersistentVolumeClaim', sts.metadata.namespace, n)) continue;
      const pvc: KubeObject = {
        apiVersion: 'v1',
        kind: 'PersistentVolumeClaim',
        metadata: {
          name: n,
          namespace: sts.metadata.namespace,
          labels: { ...(t.metadata?.labels ?? {}), ...(sts.spec?.selector?.matchLabels ?? {}) },
          ...(t.metadata?.annotations ? { annotations: { ...t.metadata.annotations } } : {}),
        },
        spec: cloneApi(t.spec ?? {}),
      };
      if (createOrReport(this.ctx, SOURCE, sts, pvc)) {
        this.ctx.events.record(SOURCE, sts, 'Normal', 'SuccessfulCreate', `create Claim ${n} Pod ${podName} in StatefulSet ${sts.metadata.name} success`);
      }
    }
  }

  private newPod(sts: KubeObject, ordinal: number, revision: string): Pod {
    const name = `${sts.metadata.name}-${ordinal}`;
    const pod = podFromTemplate(sts, sts.spec?.template ?? {}, {
      name,
      labels: { [REVISION_LABEL]: revision, [POD_NAME_LABEL]: name, [POD_INDEX_LABEL]: String(ordinal) },
    });
    pod.spec.hostname = name;
    if (sts.spec?.serviceName) pod.spec.subdomain = sts.spec.serviceName;
    const claims = (sts.spec?.volumeClaimTemplates ?? []) as KubeObject[];
    if (claims.length) {
      const vols = (pod.spec.volumes ?? []).filter((v) => !claims.some((c) => c.metadata?.name === v.name));
      for (const c of claims) vols.push({ name: c.metadata.name, persistentVolumeClaim: { claimName: claimName(c.metadata.name, sts.metadata.name, ordinal) } });
      pod.spec.volumes = vols;
    }
    return pod;
  }

  private updateStatus(sts0: KubeObject, currentRevision: string, updateRevision: string): void {
    const sts = this.ctx.store.get('StatefulSet', sts0.metadata.namespace, sts0.metadata.name) ?? sts0;
    const pods = this.ownedPods(sts);
    const now = this.ctx.clock.now();
    const minReady = sts.spec?.minReadySeconds ?? 0;
    const status: Record<string, unknown> = {
      observedGeneration: sts.metadata.generation ?? 1,
      replicas: pods.length,
      readyReplicas: pods.filter((p) => p.status?.phase === 'Running' && isPodReady(p)).length,
      currentReplicas: pods.filter((p) => p.metadata.labels?.[REVISION_LABEL] === currentRevision).length,
      updatedReplicas: pods.filter((p) => p.metadata.labels?.[REVISION_LABEL] === updateRevision).length,
      availableReplicas: pods.filter((p) => p.status?.phase === 'Running' && isPodAvailable(p, minReady, now)).length,
      currentRevision,
      updateRevision,
      collisionCount: sts.status?.collisionCount ?? 0,
    };
    // completeRollingUpdate: once every pod runs the update revision and is ready, it becomes current.
    const replicas = sts.spec?.replicas ?? 1;
    if ((sts.spec?.updateStrategy?.type ?? 'RollingUpdate') === 'RollingUpdate'
      && status.updatedReplicas === replicas && status.readyReplicas === replicas && status.replicas === replicas) {
      status.currentRevision = updateRevision;
      status.currentReplicas = status.updatedReplicas;
    }
    const prev = sts.status ?? {};
    const merged = { ...prev, ...status };
    if (JSON.stringify(merged) === JSON.stringify(prev)) return;
    const next = cloneApi(sts);
    next.status = merged;
    this.ctx.api.updateStatus(next);
  }
}
