/**
 * What a pod asks of a node: resource requests (requests default to limits, init containers
 * count as their maximum, as pkg/api/v1/resource.PodRequests) and host ports.
 */
import type { Container, Pod } from '../api/types.ts';
import { cpuMillis, memoryBytes, parseQuantity } from './quantity.ts';

export interface PodRequests {
  cpu: number;
  memory: number;
  /** Other resources (nvidia.com/gpu, ephemeral-storage…) in their base unit. */
  other: Record<string, number>;
}

/** The scheduler's defaults for pods that request nothing, used only for scoring (pkg/scheduler/util/pod_resources.go). */
export const DEFAULT_MILLI_CPU_REQUEST = 100;
export const DEFAULT_MEMORY_REQUEST = 200 * 1024 * 1024;

function containerRequest(c: Container, name: string): string | number | undefined {
  return c.resources?.requests?.[name] ?? c.resources?.limits?.[name];
}

function containerRequests(c: Container): PodRequests {
  const other: Record<string, number> = {};
  const names = new Set([...Object.keys(c.resources?.requests ?? {}), ...Object.keys(c.resources?.limits ?? {})]);
  for (const n of names) {
    if (n === 'cpu' || n === 'memory') continue;
    const v = parseQuantity(containerRequest(c, n));
    if (v) other[n] = v;
  }
  return { cpu: cpuMillis(containerRequest(c, 'cpu')), memory: memoryBytes(containerRequest(c, 'memory')), other };
}

export function podRequests(pod: Pod): PodRequests {
  const sum: PodRequests = { cpu: 0, memory: 0, other: {} };
  for (const c of pod.spec?.containers ?? []) {
    const r = containerRequests(c);
    sum.cpu += r.cpu;
    sum.memory += r.memory;
    for (const [k, v] of Object.entries(r.other)) sum.other[k] = (sum.other[k] ?? 0) + v;
  }
  // Init containers run one at a time: the pod needs the largest of them (restartable sidecars add up, ignored here).
  for (const c of pod.spec?.initContainers ?? []) {
    const r = containerRequests(c);
    sum.cpu = Math.max(sum.cpu, r.cpu);
    sum.memory = Math.max(sum.memory, r.memory);
    for (const [k, v] of Object.entries(r.other)) sum.other[k] = Math.max(sum.other[k] ?? 0, v);
  }
  return sum;
}

/** Requests with the scoring defaults for containers that ask for nothing. */
export function podNonZeroRequests(pod: Pod): { cpu: number; memory: number } {
  let cpu = 0;
  let memory = 0;
  for (const c of pod.spec?.containers ?? []) {
    const r = containerRequests(c);
    cpu += containerRequest(c, 'cpu') === undefined ? DEFAULT_MILLI_CPU_REQUEST : r.cpu;
    memory += containerRequest(c, 'memory') === undefined ? DEFAULT_MEMORY_REQUEST : r.memory;
  }
  return { cpu, memory };
}

export interface HostPort {
  ip: string;
  protocol: string;
  port: number;
}

export function podHostPorts(pod: Pod): HostPort[] {
  const out: HostPort[] = [];
  for (const c of [...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? [])]) {
    for (const p of c.ports ?? []) {
      if (!p.hostPort) continue;
      out.push({ ip: (p as { hostIP?: string }).hostIP || '0.0.0.0', protocol: p.protocol ?? 'TCP', port: p.hostPort });
    }
  }
  return out;
}

/** A pod that holds node resources: bound, not finished. Terminating pods still hold them. */
export function holdsResources(pod: Pod): boolean {
  const phase = pod.status?.phase;
  return !!pod.spec?.nodeName && phase !== 'Succeeded' && phase !== 'Failed';
}
