/**
 * STUB — owned by the workloads work. Installs nodes (kind topology), the scheduler, the
 * kubelet, the workload controllers (Deployment, ReplicaSet, StatefulSet, DaemonSet,
 * ReplicationController), node lifecycle, volumes, namespace and garbage collection, and the
 * image catalogue; returns the operations scenarios need.
 */
import type { ClusterContext } from './runtime/context.ts';
import type { ImageCatalog, ImageSpec } from './images/types.ts';
import type { Action, RolloutResult } from '../backend/types.ts';

export interface WorkloadOps {
  readonly images: ImageCatalog;
  /** kubectl rollout status for every Deployment, StatefulSet and DaemonSet (system ones included). */
  rolloutStatus(): RolloutResult['workloads'];
  /** Node and workload actions (killNode, restoreNode, deleteNode, addNode, deletePod, scale, setImage). Returns a summary. */
  act(action: Exclude<Action, { type: 'advance' } | { type: 'apply' }>): string;
}

export function installWorkloads(_ctx: ClusterContext, _opts: { images: ImageSpec[] }): WorkloadOps {
  throw new Error('not implemented');
}
