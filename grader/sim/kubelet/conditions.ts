/** Pod condition helpers shared by the kubelet, scheduler, node lifecycle and controllers (pkg/api/v1/pod/util.go). */
import type { Pod, PodCondition } from '../api/types.ts';

/**
 * Set a condition, moving lastTransitionTime only when the status flips (UpdatePodCondition).
 * Copy-on-write: the conditions array is replaced, never edited, so a pod that shares it with
 * a stored object (a shallow copy) cannot change what watchers saw as the old state.
 */
export function setCondition(pod: Pod, cond: PodCondition, now: string): void {
  const status = (pod.status ??= {});
  const conds = status.conditions ?? [];
  const i = conds.findIndex((c) => c.type === cond.type);
  const prev = i >= 0 ? conds[i] : undefined;
  const next = { ...cond, lastProbeTime: null, lastTransitionTime: prev && prev.status === cond.status ? prev.lastTransitionTime : now } as unknown as PodCondition;
  status.conditions = i >= 0 ? conds.map((c, j) => (j === i ? next : c)) : [...conds, next];
}

/**
 * setCondition on an array the caller owns: the same entry, replaced in place,
 * and the same object (type, status, reason, message, lastProbeTime, lastTransitionTime),
 * built field by field rather than by spreading a condition (slow with these varied shapes).
 */
export function putCondition(conds: PodCondition[], now: string, type: string, status: 'True' | 'False', reason?: string, message?: string): void {
  let i = 0;
  while (i < conds.length && conds[i]!.type !== type) i++;
  const prev = i < conds.length ? conds[i] : undefined;
  const next: Record<string, unknown> = { type, status };
  if (reason !== undefined) next.reason = reason;
  if (message !== undefined) next.message = message;
  next.lastProbeTime = null;
  next.lastTransitionTime = prev && prev.status === status ? prev.lastTransitionTime : now;
  if (i < conds.length) conds[i] = next as unknown as PodCondition;
  else conds.push(next as unknown as PodCondition);
}

export function podCondition(pod: Pod, type: string): PodCondition | undefined {
  return pod.status?.conditions?.find((c) => c.type === type);
}

/** IsPodReady: the Ready condition is True. */
export function isPodReady(pod: Pod): boolean {
  return podCondition(pod, 'Ready')?.status === 'True';
}

/** Pods a controller counts (controller.IsPodActive): not finished and not being deleted. */
export function isPodActive(pod: Pod): boolean {
  return pod.status?.phase !== 'Succeeded' && pod.status?.phase !== 'Failed' && !pod.metadata.deletionTimestamp;
}

/** Ready for at least minReadySeconds (podutil.IsPodAvailable). */
export function isPodAvailable(pod: Pod, minReadySeconds: number, nowMs: number): boolean {
  const c = podCondition(pod, 'Ready');
  if (c?.status !== 'True') return false;
  if (!minReadySeconds) return true;
  const since = c.lastTransitionTime ? Date.parse(c.lastTransitionTime) : nowMs;
  return nowMs - since >= minReadySeconds * 1000;
}
