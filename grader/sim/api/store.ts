/**
 * The generic object store behind the simulated apiserver: one map per kind, keyed by
 * namespace/name, with resourceVersions and watch events. It knows nothing about kinds;
 * validation and defaulting live in the per-kind strategies (grader/sim/api/registry).
 *
 * Objects handed out are the stored objects themselves, for speed: callers must treat them
 * as read-only and write through the apiserver (which clones), never mutate in place.
 */
import { type KubeObject, refKey } from './types.ts';

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED';

export interface WatchEvent {
  type: WatchEventType;
  object: KubeObject;
  /** The previous version, for MODIFIED and DELETED. */
  old?: KubeObject;
}

export type WatchHandler = (ev: WatchEvent) => void;

/**
 * A watcher as an object with a method rather than a closure: the cluster's parts register
 * themselves this way so that a cluster can be forked by copying its object graph
 * (grader/sim/fork), which cannot copy what a closure captured. Tests may still pass functions.
 */
export interface WatchListener {
  onWatchEvent(ev: WatchEvent): void;
}

export class ObjectStore {
  /**
   * Tests set KUBELAB_FREEZE_STORE=1 (vitest.config.ts): every stored object is then deep-frozen
   * as it is written, so an edit in place anywhere throws at once. Off in production, where the
   * walk would cost as much as a copy per write; there `freezeAll` runs when a cluster is forked.
   */
  static freezeOnWrite = process.env.KUBELAB_FREEZE_STORE === '1';

  private byKind = new Map<string, Map<string, KubeObject>>();
  private handlers: (WatchHandler | WatchListener)[] = [];
  /**
   * kind → namespace → name, for `get` without building a key string: gets are the most
   * frequent store operation, and the garbage of one string per get showed in profiles.
   * `byKind` keeps global insertion order, which `iterate` exposes.
   */
  private index = new Map<string, Map<string, Map<string, KubeObject>>>();
  private rv = 1000;
  /**
   * Bumped on every write of any kind, before watchers hear of it: caches that depend on
   * objects of many kinds (grader/sim/network/version.ts) stay valid while it stands. A
   * plain object so that holders keep reading the live value.
   */
  readonly writeCount = { value: 0 };

  get(kind: string, namespace: string | undefined, name: string): KubeObject | undefined {
    return this.index.get(kind)?.get(namespace ?? '')?.get(name);
  }

  /** Every object of a kind, optionally in one namespace, in a stable (namespace, name) order. */
  list(kind: string, namespace?: string): KubeObject[] {
    if (namespace !== undefined) {
      const inNs = this.index.get(kind)?.get(namespace);
      return inNs ? [...inNs.values()].sort(compareObjects) : [];
    }
    const m = this.byKind.get(kind);
    if (!m) return [];
    return [...m.values()].sort(compareObjects);
  }

  /** Unsorted iteration, for hot paths that do their own ordering. */
  *iterate(kind: string): IterableIterator<KubeObject> {
    const m = this.byKind.get(kind);
    if (m) yield* m.values();
  }

  kinds(): string[] {
    return [...this.byKind.keys()].sort();
  }

  count(kind: string): number {
    return this.byKind.get(kind)?.size ?? 0;
  }

  /** Insert or replace. Bumps resourceVersion and notifies watchers. */
  put(obj: KubeObject): KubeObject {
    let m = this.byKind.get(obj.kind);
    if (!m) this.byKind.set(obj.kind, (m = new Map()));
    const key = refKey(obj.kind, obj.metadata.namespace, obj.metadata.name);
    const old = m.get(key);
    obj.metadata.resourceVersion = String(++this.rv);
    if (ObjectStore.freezeOnWrite) deepFreeze(obj);
    m.set(key, obj);
    let byNs = this.index.get(obj.kind);
    if (!byNs) this.index.set(obj.kind, (byNs = new Map()));
    const ns = obj.metadata.namespace ?? '';
    let byName = byNs.get(ns);
    if (!byName) byNs.set(ns, (byName = new Map()));
    byName.set(obj.metadata.name, obj);
    this.writeCount.value++;
    this.emit(old ? { type: 'MODIFIED', object: obj, old } : { type: 'ADDED', object: obj });
    return obj;
  }

  remove(kind: string, namespace: string | undefined, name: string): KubeObject | undefined {
    const m = this.byKind.get(kind);
    const key = refKey(kind, namespace, name);
    const old = m?.get(key);
    if (!old || !m) return undefined;
    m.delete(key);
    this.index.get(kind)?.get(namespace ?? '')?.delete(name);
    this.writeCount.value++;
    this.emit({ type: 'DELETED', object: old, old });
    return old;
  }

  /**
   * Freeze every stored object, deeply. Stored objects are immutable by contract (writes go
   * through the apiserver, which stores a new object); freezing turns that contract into a
   * TypeError for whoever breaks it, and lets forks of a cluster share the objects
   * (grader/sim/fork) instead of copying them.
   */
  freezeAll(): void {
    for (const m of this.byKind.values()) for (const o of m.values()) if (!Object.isFrozen(o)) deepFreeze(o);
  }

  watch(h: WatchHandler | WatchListener): () => void {
    this.handlers.push(h);
    return () => {
      this.handlers = this.handlers.filter((x) => x !== h);
    };
  }

  private emit(ev: WatchEvent): void {
    for (const h of this.handlers) {
      if (typeof h === 'function') h(ev);
      else h.onWatchEvent(ev);
    }
  }
}

export function compareObjects(a: KubeObject, b: KubeObject): number {
  const an = a.metadata.namespace ?? '';
  const bn = b.metadata.namespace ?? '';
  if (an !== bn) return an < bn ? -1 : 1;
  return a.metadata.name < b.metadata.name ? -1 : a.metadata.name > b.metadata.name ? 1 : 0;
}

function deepFreeze(o: object): void {
  Object.freeze(o);
  for (const k of Object.keys(o)) {
    const v = (o as Record<string, unknown>)[k];
    if (typeof v === 'object' && v !== null && !Object.isFrozen(v)) deepFreeze(v);
  }
}
