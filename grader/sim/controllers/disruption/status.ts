/**
 * The disruption controller's arithmetic, pure: from a PodDisruptionBudget, the pods its
 * selector matches and the scale of their controllers, the status it writes.
 * Source: pkg/controller/disruption/disruption.go (trySync, getExpectedPodCount,
 * getExpectedScale, countHealthyPods, updatePdbStatus, failSafe) and
 * pkg/apis/policy/helper UpdateDisruptionAllowedCondition (1.31).
 */
import type { KubeObject, OwnerReference, Pod } from '../../api/types.ts';
import { isPodReady } from '../../kubelet/conditions.ts';

/** A controller found for a pod's controllerRef: its uid and spec.replicas. */
export interface ControllerScale {
  uid: string;
  scale: number;
}

/** Finds the controller a pod's controllerRef names (Deployment through its ReplicaSet). */
export type ScaleFinder = (ref: OwnerReference, namespace: string) => ControllerScale | undefined;

export interface PdbCounts {
  currentHealthy: number;
  desiredHealthy: number;
  expectedPods: number;
  disruptionsAllowed: number;
}

export type PdbOutcome =
  | { ok: true; counts: PdbCounts; unmanaged: string[] }
  /** trySync failed: failSafe sets disruptionsAllowed 0 and a SyncFailed condition. */
  | { ok: false; error: string; unmanaged: string[] };

/** intstr.GetScaledValueFromIntOrPercent(v, total, roundUp=true). */
export function scaledValue(v: number | string, total: number): number | undefined {
  if (typeof v === 'number') return v;
  const m = /^(\d+)%$/.exec(v);
  if (!m) return undefined;
  return Math.ceil((Number(m[1]) * total) / 100);
}

function controllerRefOf(o: KubeObject): OwnerReference | undefined {
  return o.metadata.ownerReferences?.find((r) => r.controller);
}

/** getExpectedScale: the sum of spec.replicas over the pods' distinct controllers. */
function expectedScale(pods: Pod[], find: ScaleFinder): { count: number; unmanaged: string[] } | { error: string; unmanaged: string[] } {
  const scales = new Map<string, number>();
  const unmanaged: string[] = [];
  for (const pod of pods) {
    const ref = controllerRefOf(pod);
    if (!ref) {
      unmanaged.push(pod.metadata.name);
      continue;
    }
    if (scales.has(ref.uid)) continue;
    const found = find(ref, pod.metadata.namespace ?? 'default');
    if (!found) return { error: `found no controllers for pod "${pod.metadata.name}"`, unmanaged };
    scales.set(found.uid, found.scale);
  }
  let count = 0;
  for (const s of scales.values()) count += s;
  return { count, unmanaged };
}

/** countHealthyPods: Ready and not being deleted (no eviction API, so no disruptedPods). */
export function countHealthy(pods: Pod[]): number {
  return pods.filter((p) => !p.metadata.deletionTimestamp && isPodReady(p)).length;
}

export function computePdb(pdb: KubeObject, pods: Pod[], find: ScaleFinder): PdbOutcome {
  const spec = pdb.spec ?? {};
  let expected = 0;
  let desired = 0;
  let unmanaged: string[] = [];
  if (spec.maxUnavailable !== undefined && spec.maxUnavailable !== null) {
    const s = expectedScale(pods, find);
    if ('error' in s) return { ok: false, error: s.error, unmanaged: s.unmanaged };
    expected = s.count;
    unmanaged = s.unmanaged;
    const maxUnavailable = scaledValue(spec.maxUnavailable, expected);
    if (maxUnavailable === undefined) return { ok: false, error: `invalid value for IntOrString: invalid type: string is not a percentage`, unmanaged };
    desired = Math.max(0, expected - maxUnavailable);
  } else if (spec.minAvailable !== undefined && spec.minAvailable !== null) {
    if (typeof spec.minAvailable === 'number') {
      // An integer minAvailable needs no controller: every matching pod counts as expected.
      desired = spec.minAvailable;
      expected = pods.length;
    } else {
      const s = expectedScale(pods, find);
      if ('error' in s) return { ok: false, error: s.error, unmanaged: s.unmanaged };
      expected = s.count;
      unmanaged = s.unmanaged;
      const minAvailable = scaledValue(spec.minAvailable, expected);
      if (minAvailable === undefined) return { ok: false, error: `invalid value for IntOrString: invalid type: string is not a percentage`, unmanaged };
      desired = minAvailable;
    }
  }
  const current = countHealthy(pods);
  // expectedPods must be > 0, so a PDB that matches no pods yet stays safe when they appear.
  let allowed = current - desired;
  if (expected <= 0 || allowed <= 0) allowed = 0;
  return { ok: true, counts: { currentHealthy: current, desiredHealthy: desired, expectedPods: expected, disruptionsAllowed: allowed }, unmanaged };
}

export interface PdbCondition {
  type: string;
  status: 'True' | 'False';
  observedGeneration?: number;
  lastTransitionTime: string;
  reason: string;
  message: string;
}

/** apimeta.SetStatusCondition: lastTransitionTime moves only when the status flips. */
export function withCondition(conds: PdbCondition[] | undefined, next: Omit<PdbCondition, 'lastTransitionTime'>, now: string): PdbCondition[] {
  const list = conds ?? [];
  const prev = list.find((c) => c.type === next.type);
  const cond: PdbCondition = {
    type: next.type,
    status: next.status,
    ...(next.observedGeneration !== undefined ? { observedGeneration: next.observedGeneration } : {}),
    lastTransitionTime: prev && prev.status === next.status ? prev.lastTransitionTime : now,
    reason: next.reason,
    message: next.message,
  };
  return prev ? list.map((c) => (c.type === next.type ? cond : c)) : [...list, cond];
}

/** The status updatePdbStatus (or failSafe) stores. */
export function pdbStatus(pdb: KubeObject, outcome: PdbOutcome, now: string): Record<string, unknown> {
  const old = (pdb.status ?? {}) as Record<string, any>;
  if (!outcome.ok) {
    // failSafe keeps the counts it had and only forbids disruptions.
    const observedGeneration = old.observedGeneration;
    return {
      ...old,
      disruptionsAllowed: 0,
      currentHealthy: old.currentHealthy ?? 0,
      desiredHealthy: old.desiredHealthy ?? 0,
      expectedPods: old.expectedPods ?? 0,
      conditions: withCondition(old.conditions, { type: 'DisruptionAllowed', status: 'False', observedGeneration, reason: 'SyncFailed', message: outcome.error }, now),
    };
  }
  const c = outcome.counts;
  const generation = pdb.metadata.generation;
  return {
    ...(generation !== undefined ? { observedGeneration: generation } : {}),
    disruptionsAllowed: c.disruptionsAllowed,
    currentHealthy: c.currentHealthy,
    desiredHealthy: c.desiredHealthy,
    expectedPods: c.expectedPods,
    conditions: withCondition(old.conditions, c.disruptionsAllowed > 0
      ? { type: 'DisruptionAllowed', status: 'True', observedGeneration: generation, reason: 'SufficientPods', message: '' }
      : { type: 'DisruptionAllowed', status: 'False', observedGeneration: generation, reason: 'InsufficientPods', message: '' }, now),
  };
}
