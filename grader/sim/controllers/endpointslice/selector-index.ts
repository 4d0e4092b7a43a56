/**
 * Label indexes for the Service ↔ Pod relation, so a pod event finds the Services selecting
 * it and a Service sync finds its pods without scanning every pod or Service (the informer
 * indexers of kube-controller-manager play this role upstream).
 */
import type { ObjectStore, WatchEvent } from '../../api/store.ts';
import type { KubeObject, Labels, Pod, Service } from '../../api/types.ts';
import { mapSelectorMatches } from '../../api/types.ts';

type NsIndex = Map<string, Map<string, Set<string>>>;

function addTo(idx: NsIndex, ns: string, entry: string, name: string): void {
  let byEntry = idx.get(ns);
  if (!byEntry) idx.set(ns, (byEntry = new Map()));
  let set = byEntry.get(entry);
  if (!set) byEntry.set(entry, (set = new Set()));
  set.add(name);
}

function delFrom(idx: NsIndex, ns: string, entry: string, name: string): void {
  const set = idx.get(ns)?.get(entry);
  if (!set) return;
  set.delete(name);
  if (set.size === 0) idx.get(ns)!.delete(entry);
}

const entries = (l: Labels | undefined) => Object.entries(l ?? {}).map(([k, v]) => `${k}=${v}`);

export class SelectorIndex {
  /** namespace → "k=v" → pod names */
  private pods: NsIndex = new Map();
  /** namespace → "k=v" → names of Services whose selector contains that entry */
  private services: NsIndex = new Map();
  /**
   * One answer about one watch event (see `remember`), forgotten whenever the index changes:
   * two controllers ask the same question about every pod event, back to back.
   */
  private memoEvent: WatchEvent | undefined;
  private memoKeys: string[] = [];

  /** What `remember` stored for this very event object, if the index has not changed since. */
  remembered(ev: WatchEvent): string[] | undefined {
    return this.memoEvent === ev ? this.memoKeys : undefined;
  }

  /** Keep keys computed from this index for an event; callers must not change the array. */
  remember(ev: WatchEvent, keys: string[]): string[] {
    this.memoEvent = ev;
    this.memoKeys = keys;
    return keys;
  }

  constructor(private readonly store: ObjectStore) {
    for (const p of store.iterate('Pod')) this.add(p);
    for (const s of store.iterate('Service')) this.add(s);
    store.watch(this);
  }

  /** Pods in the namespace matching a Service's map selector (empty selector: none). */
  podsMatching(namespace: string, selector: Labels | undefined): Pod[] {
    const es = entries(selector);
    if (es.length === 0) return [];
    const byEntry = this.pods.get(namespace);
    if (!byEntry) return [];
    let smallest: Set<string> | undefined;
    for (const e of es) {
      const s = byEntry.get(e);
      if (!s) return [];
      if (!smallest || s.size < smallest.size) smallest = s;
    }
    const out: Pod[] = [];
    for (const name of smallest!) {
      const p = this.store.get('Pod', namespace, name) as Pod | undefined;
      if (p && mapSelectorMatches(selector, p.metadata.labels)) out.push(p);
    }
    return out.sort((a, b) => (a.metadata.name < b.metadata.name ? -1 : 1));
  }

  /** Names of Services in the namespace whose selector matches these labels. */
  servicesSelecting(namespace: string, labels: Labels | undefined): string[] {
    const byEntry = this.services.get(namespace);
    if (!byEntry) return [];
    const candidates = new Set<string>();
    for (const e of entries(labels)) for (const n of byEntry.get(e) ?? []) candidates.add(n);
    const out: string[] = [];
    for (const n of candidates) {
      const s = this.store.get('Service', namespace, n) as Service | undefined;
      if (s && mapSelectorMatches(s.spec?.selector, labels)) out.push(n);
    }
    return out.sort();
  }

  /** WatchListener: called by the store for every write. */
  onWatchEvent(ev: WatchEvent): void {
    if (ev.object.kind !== 'Pod' && ev.object.kind !== 'Service') return;
    if (ev.old) this.remove(ev.old);
    if (ev.type !== 'DELETED') this.add(ev.object);
  }

  private add(o: KubeObject): void {
    this.memoEvent = undefined;
    const ns = o.metadata.namespace ?? '';
    if (o.kind === 'Pod') for (const e of entries(o.metadata.labels)) addTo(this.pods, ns, e, o.metadata.name);
    else if (o.kind === 'Service') for (const e of entries((o as Service).spec?.selector)) addTo(this.services, ns, e, o.metadata.name);
  }

  private remove(o: KubeObject): void {
    this.memoEvent = undefined;
    const ns = o.metadata.namespace ?? '';
    if (o.kind === 'Pod') for (const e of entries(o.metadata.labels)) delFrom(this.pods, ns, e, o.metadata.name);
    else if (o.kind === 'Service') for (const e of entries((o as Service).spec?.selector)) delFrom(this.services, ns, e, o.metadata.name);
  }
}
