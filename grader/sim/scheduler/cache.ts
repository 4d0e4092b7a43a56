/**
 * The scheduler's node bookkeeping (pkg/scheduler/backend/cache): per node, what bound pods
 * request, which host ports they use and how many pods of each owner run there. Updated
 * incrementally from watch events so that scheduling a pod costs O(nodes), not O(pods).
 */
import type { ObjectStore, WatchEvent } from '../api/store.ts';
import type { Pod } from '../api/types.ts';
import { type HostPort, holdsResources, podHostPorts, podNonZeroRequests, podRequests } from './resources.ts';

export interface NodeUsage {
  cpu: number;
  memory: number;
  nonZeroCpu: number;
  nonZeroMemory: number;
  other: Record<string, number>;
  pods: number;
  /** "TCP/0.0.0.0/9000" → count. */
  ports: Map<string, number>;
  /** controller owner uid → pods of it on this node. */
  owners: Map<string, number>;
}

export function emptyUsage(): NodeUsage {
  return { cpu: 0, memory: 0, nonZeroCpu: 0, nonZeroMemory: 0, other: {}, pods: 0, ports: new Map(), owners: new Map() };
}

export function portKey(p: HostPort): string {
  return `${p.protocol}/${p.ip}/${p.port}`;
}

export function controllerUid(pod: Pod): string | undefined {
  return pod.metadata.ownerReferences?.find((r) => r.controller)?.uid;
}

export class SchedulerCache {
  private usage = new Map<string, NodeUsage>();

  constructor(store: ObjectStore) {
    for (const p of store.iterate('Pod')) this.apply(p as Pod, 1);
    store.watch(this);
  }

  of(node: string): NodeUsage {
    return this.usage.get(node) ?? emptyUsage();
  }

  /** WatchListener: called by the store for every write. */
  onWatchEvent(ev: WatchEvent): void {
    if (ev.object.kind !== 'Pod') return;
    if (ev.type === 'MODIFIED' && ev.old && this.unchanged(ev.old as Pod, ev.object as Pod)) return;
    if (ev.old) this.apply(ev.old as Pod, -1);
    if (ev.type !== 'DELETED') this.apply(ev.object as Pod, 1);
  }

  /**
   * A write that leaves the pod's spec (shared by reference, as status writes do), owner and
   * resource-holding phase as they were would subtract and add back the same amounts. Skipped
   * only while the node's sums are exact integers, so the result is bit for bit the same.
   */
  private unchanged(old: Pod, pod: Pod): boolean {
    const holds = holdsResources(pod);
    if (holds !== holdsResources(old)) return false;
    if (!holds) return true;
    if (old.spec !== pod.spec || controllerUid(old) !== controllerUid(pod)) return false;
    const u = this.usage.get(pod.spec.nodeName!);
    if (!u) return false;
    for (const k in u.other) return false;
    return Number.isSafeInteger(u.cpu) && Number.isSafeInteger(u.memory) && Number.isSafeInteger(u.nonZeroCpu) && Number.isSafeInteger(u.nonZeroMemory)
      && Math.abs(u.memory) < 2 ** 52 && Math.abs(u.nonZeroMemory) < 2 ** 52 && Math.abs(u.cpu) < 2 ** 52 && Math.abs(u.nonZeroCpu) < 2 ** 52;
  }

  private apply(pod: Pod, sign: 1 | -1): void {
    if (!holdsResources(pod)) return;
    const node = pod.spec.nodeName!;
    let u = this.usage.get(node);
    if (!u) this.usage.set(node, (u = emptyUsage()));
    const r = podRequests(pod);
    const nz = podNonZeroRequests(pod);
    u.cpu += sign * r.cpu;
    u.memory += sign * r.memory;
    u.nonZeroCpu += sign * nz.cpu;
    u.nonZeroMemory += sign * nz.memory;
    for (const [k, v] of Object.entries(r.other)) u.other[k] = (u.other[k] ?? 0) + sign * v;
    u.pods += sign;
    for (const p of podHostPorts(pod)) bump(u.ports, portKey(p), sign);
    const owner = controllerUid(pod);
    if (owner) bump(u.owners, owner, sign);
  }
}

function bump(m: Map<string, number>, k: string, d: number): void {
  const v = (m.get(k) ?? 0) + d;
  if (v <= 0) m.delete(k);
  else m.set(k, v);
}
