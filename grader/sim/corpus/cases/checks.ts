/** Custom checks the declarative table cannot express, shared by several groups. */
import type { SimCluster } from '../../cluster.ts';
import type { Pod } from '../../api/types.ts';

const readySince = (p: Pod): number | undefined => {
  const c = (p.status?.conditions ?? []).find((x: any) => x.type === 'Ready' && x.status === 'True');
  return c?.lastTransitionTime ? Date.parse(c.lastTransitionTime) : undefined;
};

/**
 * OrderedReady (the default podManagementPolicy): `<sts>-i` is created only after `<sts>-(i-1)`
 * is Ready (pkg/controller/statefulset/stateful_set_control.go: "StatefulSet ... is waiting
 * for Pod ... to be Running and Ready"), so each creationTimestamp is at or after the previous
 * pod's Ready transition. Pods stay Ready here, so the transition time is the first one.
 */
export function orderedReady(sts: string, replicas: number, ns = 'default') {
  return (c: SimCluster): string[] => {
    const out: string[] = [];
    for (let i = 0; i < replicas; i++) {
      const p = c.ctx.store.get('Pod', ns, `${sts}-${i}`) as Pod | undefined;
      if (!p) {
        out.push(`pod ${sts}-${i} was not created`);
        continue;
      }
      if (p.spec.hostname !== `${sts}-${i}`) out.push(`pod ${sts}-${i}: hostname ${p.spec.hostname}, expected ${sts}-${i}`);
      if (i === 0) continue;
      const prev = c.ctx.store.get('Pod', ns, `${sts}-${i - 1}`) as Pod | undefined;
      const ready = prev && readySince(prev);
      const created = Date.parse(p.metadata.creationTimestamp ?? '');
      if (ready === undefined) out.push(`pod ${sts}-${i} exists while ${sts}-${i - 1} was never Ready`);
      else if (created < ready) out.push(`pod ${sts}-${i} created at ${p.metadata.creationTimestamp}, before ${sts}-${i - 1} was Ready`);
    }
    if (c.ctx.store.get('Pod', ns, `${sts}-${replicas}`)) out.push(`pod ${sts}-${replicas} exists beyond replicas ${replicas}`);
    return out;
  };
}

/** Pods of a StatefulSet that exist, by ordinal: for "only -0 was created" checks. */
export function stsPods(c: SimCluster, sts: string, ns = 'default'): string[] {
  return c.ctx.store
    .list('Pod', ns)
    .map((p) => p.metadata.name)
    .filter((n) => new RegExp(`^${sts}-\\d+$`).test(n))
    .sort();
}

/** The nodes the given pods run on (kubectl get pods -o wide NODE), undefined when unscheduled. */
export function nodesOf(c: SimCluster, names: string[], ns = 'default'): (string | undefined)[] {
  return names.map((n) => (c.ctx.store.get('Pod', ns, n) as Pod | undefined)?.spec.nodeName);
}

export function containerOf(c: SimCluster, kind: string, name: string, ns = 'default') {
  const o = c.ctx.store.get(kind, ns, name);
  return o?.spec?.template?.spec?.containers ?? o?.spec?.containers ?? [];
}
