/**
 * A counter bumped on every write to the object store, whatever the kind. The probes' caches
 * (a pod's runtime info, DNS answers, resolved probe origins) depend on objects of many kinds —
 * ConfigMaps and Secrets feed env and files, Namespaces decide NXDOMAIN — so they are valid
 * exactly while this counter stands. One watcher per store, shared by every cache.
 */
import type { ObjectStore } from '../api/store.ts';

export interface StoreVersion {
  readonly value: number;
}

const counters = new WeakMap<ObjectStore, { value: number }>();

export function storeVersion(store: ObjectStore): StoreVersion {
  let c = counters.get(store);
  if (!c) {
    const counter = { value: 0 };
    store.watch(() => {
      counter.value++;
    });
    counters.set(store, (c = counter));
  }
  return c;
}
