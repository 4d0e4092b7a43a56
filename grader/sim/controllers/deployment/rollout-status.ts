/**
 * `kubectl rollout status` for Deployments, StatefulSets and DaemonSets, word for word
 * (kubectl pkg/polymorphichelpers/rollout_status.go). `ready` is kubectl's "done".
 */
import type { KubeObject } from '../../api/types.ts';

export interface RolloutWords {
  ready: boolean;
  message: string;
}

export function deploymentRolloutStatus(d: KubeObject): RolloutWords {
  const name = d.metadata.name;
  const s = d.status ?? {};
  if ((d.metadata.generation ?? 1) > (s.observedGeneration ?? 0)) return { ready: false, message: 'Waiting for deployment spec update to be observed...' };
  const prog = (s.conditions ?? []).find((c: { type: string }) => c.type === 'Progressing');
  if (prog?.reason === 'ProgressDeadlineExceeded') return { ready: false, message: `error: deployment "${name}" exceeded its progress deadline` };
  const replicas = d.spec?.replicas ?? 1;
  const updated = s.updatedReplicas ?? 0;
  if (updated < replicas) return { ready: false, message: `Waiting for deployment "${name}" rollout to finish: ${updated} out of ${replicas} new replicas have been updated...` };
  if ((s.replicas ?? 0) > updated) return { ready: false, message: `Waiting for deployment "${name}" rollout to finish: ${(s.replicas ?? 0) - updated} old replicas are pending termination...` };
  if ((s.availableReplicas ?? 0) < updated) return { ready: false, message: `Waiting for deployment "${name}" rollout to finish: ${s.availableReplicas ?? 0} of ${updated} updated replicas are available...` };
  return { ready: true, message: `deployment "${name}" successfully rolled out` };
}

export function statefulSetRolloutStatus(sts: KubeObject): RolloutWords {
  const s = sts.status ?? {};
  const type = sts.spec?.updateStrategy?.type ?? 'RollingUpdate';
  if (type !== 'RollingUpdate') return { ready: true, message: `error: rollout status is only available for RollingUpdate strategy type` };
  if (!s.observedGeneration || (sts.metadata.generation ?? 1) > s.observedGeneration) return { ready: false, message: 'Waiting for statefulset spec update to be observed...' };
  const replicas = sts.spec?.replicas ?? 1;
  if ((s.readyReplicas ?? 0) < replicas) return { ready: false, message: `Waiting for ${replicas - (s.readyReplicas ?? 0)} pods to be ready...` };
  const partition = sts.spec?.updateStrategy?.rollingUpdate?.partition ?? 0;
  if (partition > 0) {
    if ((s.updatedReplicas ?? 0) < replicas - partition) {
      return { ready: false, message: `Waiting for partitioned roll out to finish: ${s.updatedReplicas ?? 0} out of ${replicas - partition} new pods have been updated...` };
    }
    return { ready: true, message: `partitioned roll out complete: ${s.updatedReplicas ?? 0} new pods have been updated...` };
  }
  if (s.updateRevision !== s.currentRevision) {
    return { ready: false, message: `waiting for statefulset rolling update to complete ${s.updatedReplicas ?? 0} pods at revision ${s.updateRevision}...` };
  }
  return { ready: true, message: `statefulset rolling update complete ${s.currentReplicas ?? 0} pods at revision ${s.currentRevision}...` };
}

export function daemonSetRolloutStatus(ds: KubeObject): RolloutWords {
  const name = ds.metadata.name;
  const s = ds.status ?? {};
  const type = ds.spec?.updateStrategy?.type ?? 'RollingUpdate';
  if (type !== 'RollingUpdate') return { ready: true, message: `error: rollout status is only available for RollingUpdate strategy type` };
  if ((ds.metadata.generation ?? 1) > (s.observedGeneration ?? 0)) return { ready: false, message: 'Waiting for daemon set spec update to be observed...' };
  const desired = s.desiredNumberScheduled ?? 0;
  if ((s.updatedNumberScheduled ?? 0) < desired) return { ready: false, message: `Waiting for daemon set "${name}" rollout to finish: ${s.updatedNumberScheduled ?? 0} out of ${desired} new pods have been updated...` };
  if ((s.numberAvailable ?? 0) < desired) return { ready: false, message: `Waiting for daemon set "${name}" rollout to finish: ${s.numberAvailable ?? 0} of ${desired} updated pods are available...` };
  return { ready: true, message: `daemon set "${name}" successfully rolled out` };
}
