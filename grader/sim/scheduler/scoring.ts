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
      const na = Number(a.slice(i, ei));
      const nb = Number(b.slice(j, ej));
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

export function pickNode(pod: Pod, feasible: Node[], usage: (n: string) => NodeUsage): Node {
  const owner = controllerUid(pod);
  const nz = podNonZeroRequests(pod);
  let maxCount = 0;
  if (owner) for (const n of feasible) maxCount = Math.max(maxCount, usage(n.metadata.name).owners.get(owner) ?? 0);
  let best: Node | undefined;
  let bestScore = -Infinity;
  for (const n of feasible) {
    const u = usage(n.metadata.name);
    const count = owner ? (u.owners.get(owner) ?? 0) : 0;
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
