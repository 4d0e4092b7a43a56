/**
 * The FailedScheduling message, worded as kube-scheduler's FitError.Error()
 * (pkg/scheduler/framework/types.go) plus the DefaultPreemption PostFilter summary:
 * "0/4 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: },
 *  3 Insufficient cpu. preemption: 0/4 nodes are available: 1 Preemption is not helpful for
 *  scheduling, 3 No preemption victims found for incoming pod."
 * Reasons are counted per node and sorted as strings (Go sort.Strings), count first.
 */
import type { NodeVerdict } from './filters.ts';

function histogram(counts: Map<string, number>): string {
  return [...counts].map(([reason, n]) => `${n} ${reason}`).sort().join(', ');
}

export function fitErrorMessage(totalNodes: number, verdicts: NodeVerdict[], preFilterReason?: string): string {
  if (totalNodes === 0) return 'no nodes available to schedule pods';
  const head = `0/${totalNodes} nodes are available`;
  if (preFilterReason) {
    return `${head}: ${preFilterReason}. preemption: ${head}: ${totalNodes} Preemption is not helpful for scheduling.`;
  }
  const reasons = new Map<string, number>();
  const preemption = new Map<string, number>();
  for (const v of verdicts) {
    for (const r of v.reasons) reasons.set(r, (reasons.get(r) ?? 0) + 1);
    // Every pod in the simulator has priority 0, so preemption never finds a lower-priority victim.
    const p = v.unresolvable ? 'Preemption is not helpful for scheduling' : 'No preemption victims found for incoming pod';
    preemption.set(p, (preemption.get(p) ?? 0) + 1);
  }
  return `${head}: ${histogram(reasons)}. preemption: ${head}: ${histogram(preemption)}.`;
}
