/**
 * The Deployment rollout arithmetic, pure (pkg/controller/deployment/rolling.go, recreate.go,
 * util/deployment_util.go): given the ReplicaSets' sizes and availability, which to scale to
 * what. maxSurge rounds up and maxUnavailable rounds down (intstr.GetScaledValueFromIntOrPercent
 * in ResolveFenceposts); if both resolve to 0, maxUnavailable becomes 1.
 */

export interface RSState {
  name: string;
  /** spec.replicas */
  replicas: number;
  /** status.availableReplicas */
  available: number;
  /** status.replicas: active pods */
  current: number;
  created: string;
}

export interface Scale {
  name: string;
  from: number;
  to: number;
}

export function scaledValue(v: number | string | undefined, total: number, roundUp: boolean, dflt: string): number {
  const x = v ?? dflt;
  if (typeof x === 'number') return x;
  const m = /^(\d+)%$/.exec(x);
  if (!m) return Number(x) || 0;
  const f = (Number(m[1]) * total) / 100;
  return roundUp ? Math.ceil(f) : Math.floor(f);
}

export function resolveFenceposts(maxSurge: number | string | undefined, maxUnavailable: number | string | undefined, desired: number): { surge: number; unavailable: number } {
  const surge = scaledValue(maxSurge, desired, true, '25%');
  let unavailable = scaledValue(maxUnavailable, desired, false, '25%');
  if (surge === 0 && unavailable === 0) unavailable = 1;
  return { surge, unavailable };
}

function byCreation(a: RSState, b: RSState): number {
  return a.created < b.created ? -1 : a.created > b.created ? 1 : a.name < b.name ? -1 : 1;
}

/** One rolling step: scale the new RS up (bounded by surge), else old ones down (bounded by availability). */
export function rollingStep(desired: number, surgeOpt: number | string | undefined, unavailableOpt: number | string | undefined, newRS: RSState, oldRSs: RSState[]): Scale[] {
  const { surge, unavailable } = resolveFenceposts(surgeOpt, unavailableOpt, desired);
  const all = [newRS, ...oldRSs];
  const sum = (xs: RSState[], f: (r: RSState) => number) => xs.reduce((n, r) => n + f(r), 0);
  // reconcileNewReplicaSet
  if (newRS.replicas > desired) return [{ name: newRS.name, from: newRS.replicas, to: desired }];
  if (newRS.replicas < desired) {
    const current = sum(all, (r) => r.replicas);
    const maxTotal = desired + surge;
    if (current < maxTotal) {
      const up = Math.min(maxTotal - current, desired - newRS.replicas);
      return [{ name: newRS.name, from: newRS.replicas, to: newRS.replicas + up }];
    }
  }
  // reconcileOldReplicaSets
  const oldCount = sum(oldRSs, (r) => r.replicas);
  if (oldCount === 0) return [];
  const maxUnavailable = Math.min(unavailable, desired);
  const minAvailable = desired - maxUnavailable;
  const newUnavailable = newRS.replicas - newRS.available;
  const maxScaledDown = sum(all, (r) => r.replicas) - minAvailable - newUnavailable;
  if (maxScaledDown <= 0) return [];
  const scales: Scale[] = [];
  const size = new Map(oldRSs.map((r) => [r.name, r.replicas]));
  // cleanupUnhealthyReplicas: old pods that are not available go first.
  let cleaned = 0;
  for (const r of [...oldRSs].sort(byCreation)) {
    if (cleaned >= maxScaledDown) break;
    if (r.replicas === 0 || r.replicas === r.available) continue;
    const n = Math.min(maxScaledDown - cleaned, r.replicas - r.available);
    size.set(r.name, r.replicas - n);
    cleaned += n;
  }
  // scaleDownOldReplicaSetsForRollingUpdate: then as many available ones as minAvailable allows.
  const availableNow = sum(all, (r) => r.available);
  let total = availableNow - minAvailable;
  for (const r of [...oldRSs].sort(byCreation)) {
    if (total <= 0) break;
    const cur = size.get(r.name)!;
    if (cur === 0) continue;
    const n = Math.min(cur, total);
    size.set(r.name, cur - n);
    total -= n;
  }
  for (const r of oldRSs) if (size.get(r.name) !== r.replicas) scales.push({ name: r.name, from: r.replicas, to: size.get(r.name)! });
  return scales;
}

/** One Recreate step: every old RS to 0; the new one to `desired` once no old pod is left. */
export function recreateStep(desired: number, newRS: RSState | undefined, oldRSs: RSState[], oldPodsLeft: number): { scales: Scale[]; createNew: boolean } {
  const downs = oldRSs.filter((r) => r.replicas > 0).map((r) => ({ name: r.name, from: r.replicas, to: 0 }));
  if (downs.length) return { scales: downs, createNew: false };
  if (oldPodsLeft > 0) return { scales: [], createNew: false };
  if (!newRS) return { scales: [], createNew: true };
  return { scales: newRS.replicas !== desired ? [{ name: newRS.name, from: newRS.replicas, to: desired }] : [], createNew: false };
}
