/**
 * The StatefulSet plan, pure (pkg/controller/statefulset/stateful_set_control.go): pods are
 * identified by ordinal; OrderedReady creates one missing pod at a time and waits for the
 * ones before it to be Running and Ready, removes surplus pods from the highest ordinal down,
 * and never creates a pod while an older object with its name still exists; Parallel does not
 * wait. RollingUpdate replaces pods from the highest ordinal down to the partition, one at a
 * time, each after the previous one is ready again.
 */

export interface OrdinalPod {
  ordinal: number;
  terminating: boolean;
  /** phase Failed or Succeeded: delete and recreate. */
  finished: boolean;
  runningAndReady: boolean;
  revision: string;
}

export interface StatefulSetInput {
  replicas: number;
  parallel: boolean;
  rollingUpdate: boolean;
  partition: number;
  currentRevision: string;
  updateRevision: string;
  /** Existing pods by ordinal (any ordinal, including ≥ replicas). */
  pods: Map<number, OrdinalPod>;
}

export type StatefulSetAction = { type: 'create'; ordinal: number; revision: string } | { type: 'delete'; ordinal: number };

export function planStatefulSet(s: StatefulSetInput): StatefulSetAction[] {
  const monotonic = !s.parallel;
  const out: StatefulSetAction[] = [];
  let unhealthy = 0;
  for (let ord = 0; ord < s.replicas; ord++) {
    const p = s.pods.get(ord);
    if (!p) {
      out.push({ type: 'create', ordinal: ord, revision: s.rollingUpdate && ord < s.partition ? s.currentRevision : s.updateRevision });
      if (monotonic) return out;
      unhealthy++;
      continue;
    }
    if (p.finished && !p.terminating) {
      out.push({ type: 'delete', ordinal: ord });
      if (monotonic) return out;
      unhealthy++;
      continue;
    }
    if (p.terminating || !p.runningAndReady) {
      unhealthy++;
      if (monotonic) return out;
    }
  }
  const condemned = [...s.pods.values()].filter((p) => p.ordinal >= s.replicas).sort((a, b) => b.ordinal - a.ordinal);
  for (const p of condemned) {
    if (p.terminating) {
      if (monotonic) return out;
      continue;
    }
    if (monotonic && unhealthy > 0) return out;
    out.push({ type: 'delete', ordinal: p.ordinal });
    if (monotonic) return out;
  }
  if (!s.rollingUpdate || out.length) return out;
  for (let ord = s.replicas - 1; ord >= s.partition; ord--) {
    const p = s.pods.get(ord);
    if (!p) return out;
    if (p.revision !== s.updateRevision && !p.terminating) return [{ type: 'delete', ordinal: ord }];
    if (p.terminating || !p.runningAndReady) return out;
  }
  return out;
}
