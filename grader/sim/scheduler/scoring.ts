/**
 * Scoring among feasible nodes, after the default score plugins with their default weights
 * (pkg/scheduler/apis/config/v1/default_plugins.go): PodTopologySpread ×2 — here the system
 * default "spread the pods of one owner across hostnames" — NodeResourcesLeastAllocated ×1
 * and NodeResourcesBalancedAllocation ×1. kube-scheduler breaks ties at random; the
 * simulator breaks them by node name (natural order: kind-worker2 before kind-worker10) so a
 * seed always gives the same placement.
 */
import type { Node, Pod } from '../api/types.ts';
import type { NodeUsage } from './cache.ts';
import { controllerUid } from './cache.ts';
import { allocatableOf } from './allocatable.ts';
import { podNonZeroRequests } from './resources.ts';

/** Names compared with digit runs as numbers (kind-worker2 < kind-worker10); cheap, unlike Intl collation. */
export function naturalCompare(a: string, b: string): number {
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const ca = a.charCodeAt(i);
    const cb = b.charCodeAt(j);
    const da = ca >= 48 && ca <= 57;
    const db = cb >= 48 && cb <= 57;
    if (da && db) {
      let ei = i;
      let ej = j;
      while (ei < a.length && a.charCodeAt(ei) >= 48 && a.charCodeAt(ei) <= 57) ei++;
      while (ej < b.length && b.charCodeAt(ej) >= 48 && b.charCodeAt(ej) <= 57) ej++;
      // Runs of up to 15 digits are exact as doubles: sum them without slicing strings.
      const na = ei - i <= 15 ? digitsValue(a, i, ei) : Number(a.slice(i, ei));
      const nb = ej - j <= 15 ? digitsValue(b, j, ej) : Number(b.slice(j, ej));
      if (na !== nb) return na - nb;
      i = ei;
      j = ej;
      continue;
    }
    if (ca !== cb) return ca - cb;
    i++;
    j++;
  }
  return (a.length - i) - (b.length - j);
}

function digitsValue(s: string, from: number, to: number): number {
  let n = 0;
  for (let k = from; k < to; k++) n = n * 10 + (s.charCodeAt(k) - 48);
  return n;
}

export function pickNode(pod: Pod, feasible: Node[], usage: (n: string) => NodeUsage): Node {
  const owner = controllerUid(pod);
  const nz = podNonZeroRequests(pod);
  // Each node's usage and owner count are looked up once: nothing changes them while the nodes are scored.
  const usages = feasible.map((n) => usage(n.metadata.name));
  const counts = owner ? usages.map((u) => u.owners.get(owner) ?? 0) : undefined;
  let maxCount = 0;
  if (counts) for (const c of counts) maxCount = Math.max(maxCount, c);
  let best: Node | undefined;
  let bestScore = -Infinity;
  for (let i = 0; i < feasible.length; i++) {
    const n = feasible[i]!;
    const u = usages[i]!;
    const count = counts ? counts[i]! : 0;
    const spread = maxCount > 0 ? (100 * (maxCount - count)) / maxCount : 100;
    const alloc = allocatableOf(n);
    const allocCpu = alloc.cpu || 1;
    const allocMem = alloc.memory || 1;
    const cpuFrac = Math.min(1, (u.nonZeroCpu + nz.cpu) / allocCpu);
    const memFrac = Math.min(1, (u.nonZeroMemory + nz.memory) / allocMem);
    const least = ((1 - cpuFrac) * 100 + (1 - memFrac) * 100) / 2;
    const balanced = 100 - Math.abs(cpuFrac - memFrac) * 100;
    // Integer scores as the framework uses (int64 per plugin), so float noise cannot reorder nodes.
    const score = 2 * Math.floor(spread) + Math.floor(least) + Math.floor(balanced);
    if (score > bestScore || (score === bestScore && best && naturalCompare(n.metadata.name, best.metadata.name) < 0)) {
      best = n;
      bestScore = score;
    }
  }
  return best!;
}
