/**
 * The informer-style indexes the workload parts share, kept up to date from the store's watch
 * stream: pods by node, objects by owner uid, and uid → object. Controllers use them instead
 * of scanning every pod (a 5,000-pod cluster must not cost O(pods) per sync).
 */
import type { ObjectStore, WatchEvent } from '../api/store.ts';
import { type KubeObject, type ObjectRef, type Pod, refKey } from '../api/types.ts';

export class WorkloadCache {
  private podsByNode = new Map<string, Map<string, ObjectRef>>();
  private byOwner = new Map<string, Map<string, ObjectRef>>();
  private byUid = new Map<string, ObjectRef>();

  constructor(private readonly store: ObjectStore) {
    for (const kind of store.kinds()) for (const o of store.iterate(kind)) this.add(o);
    store.watch(this);
  }

  /** Pods bound to a node (any phase, terminating included), sorted by namespace/name. */
  podsOnNode(node: string): Pod[] {
    return this.resolve(this.podsByNode.get(node)) as Pod[];
  }

  nodesWithPods(): string[] {
    return [...this.podsByNode.keys()].sort();
  }

  /** Objects that list `uid` in their ownerReferences, optionally of one kind, sorted. */
  dependents(uid: string | undefined, kind?: string): KubeObject[] {
    if (!uid) return [];
    return this.unsortedDependents(uid, kind).sort(byNsName);
  }

  /** dependents() without the ordering, for counts and sums on hot paths. */
  unsortedDependents(uid: string | undefined, kind?: string): KubeObject[] {
    const m = uid ? this.byOwner.get(uid) : undefined;
    if (!m) return [];
    const out: KubeObject[] = [];
    for (const r of m.values()) {
      if (kind && r.kind !== kind) continue;
      const o = this.store.get(r.kind, r.namespace, r.name);
      if (o) out.push(o);
    }
    return out;
  }

  byUID(uid: string): KubeObject | undefined {
    const r = this.byUid.get(uid);
    return r ? this.store.get(r.kind, r.namespace, r.name) : undefined;
  }

  private resolve(m: Map<string, ObjectRef> | undefined): KubeObject[] {
    if (!m) return [];
    const out: KubeObject[] = [];
    for (const r of m.values()) {
      const o = this.store.get(r.kind, r.namespace, r.name);
      if (o) out.push(o);
    }
    return out.sort(byNsName);
  }

  /** WatchListener: called by the store for every write. */
  onWatchEvent(ev: WatchEvent): void {
    // Most writes are status writes: same uid, owners and node, so every index keeps its
    // entries. Only the owner maps' insertion order moves (the key goes last, as a remove and
    // add would do), since dependents() without a kind breaks name ties across kinds by it.
    if (ev.type === 'MODIFIED' && ev.old && sameIndexKeys(ev.old, ev.object)) {
      const owners = ev.object.metadata.ownerReferences;
      if (owners?.length) {
        const o = ev.object;
        const key = refKey(o.kind, o.metadata.namespace, o.metadata.name);
        for (const or of owners) {
          const m = this.byOwner.get(or.uid);
          const r = m?.get(key);
          if (m && r) {
            m.delete(key);
            m.set(key, r);
          }
        }
      }
      return;
    }
    if (ev.old) this.remove(ev.old);
    if (ev.type !== 'DELETED') this.add(ev.object);
  }

  private add(o: KubeObject): void {
    const ref: ObjectRef = { kind: o.kind, namespace: o.metadata.namespace, name: o.metadata.name };
    const key = refKey(o.kind, o.metadata.namespace, o.metadata.name);
    if (o.metadata.uid) this.byUid.set(o.metadata.uid, ref);
    for (const or of o.metadata.ownerReferences ?? []) getOrSet(this.byOwner, or.uid).set(key, ref);
    const node = o.kind === 'Pod' ? (o as Pod).spec?.nodeName : undefined;
    if (node) getOrSet(this.podsByNode, node).set(key, ref);
  }

  private remove(o: KubeObject): void {
    const key = refKey(o.kind, o.metadata.namespace, o.metadata.name);
    if (o.metadata.uid && this.byUid.get(o.metadata.uid)?.name === o.metadata.name) this.byUid.delete(o.metadata.uid);
    for (const or of o.metadata.ownerReferences ?? []) {
      const m = this.byOwner.get(or.uid);
      m?.delete(key);
      if (m && m.size === 0) this.byOwner.delete(or.uid);
    }
    const node = o.kind === 'Pod' ? (o as Pod).spec?.nodeName : undefined;
    if (node) {
      const m = this.podsByNode.get(node);
      m?.delete(key);
      if (m && m.size === 0) this.podsByNode.delete(node);
    }
  }
}

/** Whether two versions of one object sit under the same keys of every index (refs only hold kind/namespace/name). */
function sameIndexKeys(a: KubeObject, b: KubeObject): boolean {
  if (a.kind !== b.kind || a.metadata.namespace !== b.metadata.namespace || a.metadata.name !== b.metadata.name) return false;
  if (a.metadata.uid !== b.metadata.uid) return false;
  if (a.kind === 'Pod' && (a as Pod).spec?.nodeName !== (b as Pod).spec?.nodeName) return false;
  const ao = a.metadata.ownerReferences;
  const bo = b.metadata.ownerReferences;
  if (ao === bo) return true;
  if ((ao?.length ?? 0) !== (bo?.length ?? 0)) return false;
  for (let i = 0; i < (ao?.length ?? 0); i++) if (ao![i]!.uid !== bo![i]!.uid) return false;
  return true;
}

function getOrSet<K, V>(m: Map<K, Map<string, V>>, k: K): Map<string, V> {
  let v = m.get(k);
  if (!v) m.set(k, (v = new Map()));
  return v;
}

function byNsName(a: KubeObject, b: KubeObject): number {
  const an = `${a.metadata.namespace ?? ''}/${a.metadata.name}`;
  const bn = `${b.metadata.namespace ?? ''}/${b.metadata.name}`;
  return an < bn ? -1 : an > bn ? 1 : 0;
}
