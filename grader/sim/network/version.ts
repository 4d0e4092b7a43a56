/**
 * A counter bumped on every write to the object store, whatever the kind. The probes' caches
 * (a pod's runtime info, DNS answers, resolved probe origins) depend on objects of many kinds —
 * ConfigMaps and Secrets feed env and files, Namespaces decide NXDOMAIN — so they are valid
 * exactly while this counter stands. The store keeps it (ObjectStore.writeCount).
 */
import type { ObjectStore } from '../api/store.ts';

export interface StoreVersion {
  readonly value: number;
}

export function storeVersion(store: ObjectStore): StoreVersion {
  return store.writeCount;
}
