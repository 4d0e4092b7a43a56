/**
 * MetalLB's address allocation, as a pure function (metallb internal/allocator): which pools
 * exist, which IP a Service asks for, and the lowest free address otherwise. Pools come from
 * the cluster's configured pool (modelled as a pre-installed IPAddressPool named
 * `kubelab-pool`) and from `metallb.io/v1beta1` IPAddressPool objects in `metallb-system`.
 */
import type { KubeObject, Service } from '../../api/types.ts';
import { type IpRange, intToIp, ipToInt, parseRange } from '../../network/ip.ts';

export const METALLB_NAMESPACE = 'metallb-system';
export const CONFIG_POOL_NAME = 'kubelab-pool';

export interface Pool {
  name: string;
  ranges: IpRange[];
  autoAssign: boolean;
  avoidBuggyIPs: boolean;
}

export function poolsFrom(config: { first: string; last: string } | null, objects: readonly KubeObject[]): Pool[] {
  const pools: Pool[] = [];
  if (config) {
    const a = ipToInt(config.first);
    const b = ipToInt(config.last);
    if (a !== undefined && b !== undefined && a <= b) pools.push({ name: CONFIG_POOL_NAME, ranges: [{ first: a, last: b }], autoAssign: true, avoidBuggyIPs: false });
  }
  for (const o of [...objects].sort((x, y) => (x.metadata.name < y.metadata.name ? -1 : 1))) {
    if (o.metadata.namespace !== METALLB_NAMESPACE) continue;
    const ranges = ((o.spec?.addresses ?? []) as string[]).map(parseRange).filter((r): r is IpRange => !!r);
    pools.push({ name: o.metadata.name, ranges, autoAssign: o.spec?.autoAssign !== false, avoidBuggyIPs: o.spec?.avoidBuggyIPs === true });
  }
  return pools;
}

function firstAnnotation(svc: Service, keys: string[]): string | undefined {
  for (const k of keys) {
    const v = svc.metadata.annotations?.[k];
    if (v) return v;
  }
  return undefined;
}

/** The IPs a Service asks for: MetalLB's annotation, or the deprecated spec.loadBalancerIP. */
export function requestedIPs(svc: Service): string[] {
  const ann = firstAnnotation(svc, ['metallb.io/loadBalancerIPs', 'metallb.universe.tf/loadBalancerIPs']);
  if (ann) return ann.split(',').map((s) => s.trim()).filter(Boolean);
  return svc.spec.loadBalancerIP ? [svc.spec.loadBalancerIP] : [];
}

export function requestedPool(svc: Service): string | undefined {
  return firstAnnotation(svc, ['metallb.io/address-pool', 'metallb.universe.tf/address-pool']);
}

export function poolOf(pools: readonly Pool[], ip: string): Pool | undefined {
  const n = ipToInt(ip);
  if (n === undefined) return undefined;
  return pools.find((p) => p.ranges.some((r) => n >= r.first && n <= r.last));
}

export type Allocation = { ok: true; ip: string; pool: string } | { ok: false; reason: string };

/**
 * Choose an address: the requested one if it is in a pool and free, else the lowest free
 * address of the first auto-assign pool (or the annotated pool) that has one.
 */
export function allocate(svc: Service, pools: readonly Pool[], used: ReadonlyMap<string, string>): Allocation {
  const key = `${svc.metadata.namespace}/${svc.metadata.name}`;
  const wanted = requestedIPs(svc);
  if (wanted.length) {
    const ip = wanted[0]!;
    const pool = poolOf(pools, ip);
    if (!pool) return { ok: false, reason: `["${ip}"] is not allowed in config` };
    const owner = used.get(ip);
    if (owner && owner !== key) return { ok: false, reason: `can't change sharing key for "${key}", address also in use by ${owner}` };
    return { ok: true, ip, pool: pool.name };
  }
  const only = requestedPool(svc);
  if (only && !pools.some((p) => p.name === only)) return { ok: false, reason: `unknown pool "${only}"` };
  for (const p of pools) {
    if (only ? p.name !== only : !p.autoAssign) continue;
    for (const r of p.ranges) {
      for (let n = r.first; n <= r.last; n++) {
        const last = n & 255;
        if (p.avoidBuggyIPs && (last === 0 || last === 255)) continue;
        const ip = intToIp(n);
        if (!used.has(ip)) return { ok: true, ip, pool: p.name };
      }
    }
  }
  return { ok: false, reason: 'no available IPs' };
}
