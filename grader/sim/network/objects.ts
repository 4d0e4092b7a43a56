/**
 * Small read helpers over Pods, Services and Nodes that every networking part shares, so
 * "is this pod Ready" or "what is this node's address" means the same thing everywhere.
 */
import type { Container, ContainerPort, Node, Pod, Service, ServicePort } from '../api/types.ts';

export const SERVICE_NAME_LABEL = 'kubernetes.io/service-name';
export const MANAGED_BY_LABEL = 'endpointslice.kubernetes.io/managed-by';
export const SLICE_CONTROLLER = 'endpointslice-controller.k8s.io';
export const MIRROR_CONTROLLER = 'endpointslicemirroring-controller.k8s.io';
export const SKIP_MIRROR_LABEL = 'endpointslice.kubernetes.io/skip-mirror';
export const HEADLESS_LABEL = 'service.kubernetes.io/headless';

/** podutil.IsPodReady: the Ready condition is True. */
export function isPodReady(pod: Pod): boolean {
  return (pod.status?.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True');
}

/** Succeeded or Failed pods never come back and leave every endpoint list. */
export function isPodTerminal(pod: Pod): boolean {
  const p = pod.status?.phase;
  return p === 'Succeeded' || p === 'Failed';
}

export function podIP(pod: Pod): string | undefined {
  return pod.status?.podIP || pod.status?.podIPs?.[0]?.ip || undefined;
}

export function isHeadless(svc: Service): boolean {
  return svc.spec?.clusterIP === 'None';
}

export function hasSelector(svc: Service): boolean {
  return !!svc.spec?.selector && Object.keys(svc.spec.selector).length > 0;
}

export function serviceType(svc: Service): NonNullable<Service['spec']['type']> {
  return svc.spec?.type ?? 'ClusterIP';
}

export function portProtocol(p: { protocol?: string }): string {
  return p.protocol ?? 'TCP';
}

/** Containers whose ports count for named targetPorts: app containers and sidecar (restartable) init containers. */
export function portContainers(pod: Pod): Container[] {
  const sidecars = (pod.spec.initContainers ?? []).filter((c) => c.restartPolicy === 'Always');
  return [...(pod.spec.containers ?? []), ...sidecars];
}

/**
 * podutil.FindPort: a numeric targetPort is used as is (never checked against containerPorts);
 * a named one is looked up by name *and* protocol in the pod's containers.
 */
export function resolveTargetPort(pod: Pod, sp: ServicePort): number | undefined {
  const tp = sp.targetPort ?? sp.port;
  if (typeof tp === 'number') return tp;
  if (/^\d+$/.test(tp)) return Number(tp);
  const proto = portProtocol(sp);
  for (const c of portContainers(pod)) {
    for (const cp of c.ports ?? []) {
      if (cp.name === tp && portProtocol(cp) === proto) return cp.containerPort;
    }
  }
  return undefined;
}

export function containerPortsOf(pod: Pod): { container: Container; port: ContainerPort }[] {
  const out: { container: Container; port: ContainerPort }[] = [];
  for (const c of portContainers(pod)) for (const p of c.ports ?? []) out.push({ container: c, port: p });
  return out;
}

export function nodeInternalIP(node: Node): string | undefined {
  return node.status?.addresses?.find((a) => a.type === 'InternalIP')?.address;
}

/** The node's Ready condition is True. */
export function isNodeReady(node: Node): boolean {
  return (node.status?.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True');
}

export function isControlPlane(node: Node): boolean {
  const labels = node.metadata.labels ?? {};
  return 'node-role.kubernetes.io/control-plane' in labels || node.metadata.name.endsWith('control-plane');
}

export function svcKey(namespace: string | undefined, name: string): string {
  return `${namespace ?? ''}/${name}`;
}
