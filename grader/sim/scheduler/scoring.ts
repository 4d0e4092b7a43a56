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
import { cpuMillis, memoryBytes } from './quantity.ts';
import { podNonZeroRequests } from './resources.ts';

export function naturalCompare(a: string, b: string): number {
  return a.localeCompare(b, 'en', { numeric: true });
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
    const allocCpu = cpuMillis(n.status?.allocatable?.cpu) || 1;
    const allocMem = memoryBytes(n.status?.allocatable?.memory) || 1;
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
