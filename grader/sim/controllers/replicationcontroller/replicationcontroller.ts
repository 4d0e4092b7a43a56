/**
 * ReplicationController (v1): the ReplicaSet controller with a map selector (defaulting to the
 * template's labels) — upstream runs the same code (pkg/controller/replication wraps
 * pkg/controller/replicaset with a conversion layer).
 */
import type { ClusterContext } from '../../runtime/context.ts';
import { REPLICATIONCONTROLLER, ReplicaSetController } from '../replicaset/replicaset.ts';

export function replicationControllerController(ctx: ClusterContext): ReplicaSetController {
  return new ReplicaSetController(ctx, REPLICATIONCONTROLLER);
}
