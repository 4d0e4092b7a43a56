/** The ReplicaSet diff (pkg/controller/replicaset manageReplicas), pure: how many pods to create, which to delete. */
import type { Pod } from '../../api/types.ts';
import { podsToDelete } from './controller-utils.ts';

export interface ReplicaPlan {
  create: number;
  delete: Pod[];
}

/** `active` are the owned pods without deletionTimestamp that have not finished. */
export function reconcileReplicas(desired: number, active: Pod[]): ReplicaPlan {
  const diff = active.length - desired;
  if (diff < 0) return { create: -diff, delete: [] };
  if (diff > 0) return { create: 0, delete: podsToDelete(active, diff) };
  return { create: 0, delete: [] };
}
