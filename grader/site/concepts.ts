/**
 * Concept ids (`service-clusterip`, `dns`) become readable labels with Kubernetes' own
 * capitalisation, and the concept index groups labs under them.
 */
import type { Lab } from '../lab/load.ts';
import { byPath } from './files.ts';

/** Words whose spelling Kubernetes fixes (kinds, protocols, tools). */
const words: Record<string, string> = {
  dns: 'DNS', http: 'HTTP', https: 'HTTPS', tcp: 'TCP', udp: 'UDP', tls: 'TLS', ip: 'IP', ips: 'IPs',
  ipvs: 'IPVS', iptables: 'iptables', srv: 'SRV', cname: 'CNAME', api: 'API', url: 'URL', kube: 'kube',
  clusterip: 'ClusterIP', nodeport: 'NodePort', loadbalancer: 'LoadBalancer', externalname: 'ExternalName',
  endpointslice: 'EndpointSlice', endpointslices: 'EndpointSlices', endpoints: 'Endpoints',
  statefulset: 'StatefulSet', statefulsets: 'StatefulSets', daemonset: 'DaemonSet', replicaset: 'ReplicaSet',
  deployment: 'Deployment', configmap: 'ConfigMap', networkpolicy: 'NetworkPolicy', coredns: 'CoreDNS',
  kubeproxy: 'kube-proxy', ingressclass: 'IngressClass', pvc: 'PVC', metallb: 'MetalLB', nginx: 'nginx',
  kind: 'kind', kubectl: 'kubectl',
};

export function conceptLabel(id: string): string {
  const parts = id.split('-').filter(Boolean);
  const label = parts.map((p, i) => words[p] ?? (i === 0 ? p[0]!.toUpperCase() + p.slice(1) : p)).join(' ');
  return label || id;
}

/** Anchor on the concept index page. */
export function conceptAnchor(id: string): string {
  return `concept-${id.toLowerCase().replace(/[^a-z0-9-]/g, '-')}`;
}

export interface ConceptEntry {
  id: string;
  label: string;
  anchor: string;
  labs: Lab[];
}

/** Every concept taught, sorted by label, each with the labs (in course order) that teach it. */
export function conceptIndex(labs: Lab[]): ConceptEntry[] {
  const map = new Map<string, Lab[]>();
  for (const lab of labs) {
    for (const c of new Set(lab.spec.concepts)) {
      const list = map.get(c) ?? [];
      list.push(lab);
      map.set(c, list);
    }
  }
  return [...map.entries()]
    .map(([id, ls]) => ({ id, label: conceptLabel(id), anchor: conceptAnchor(id), labs: ls }))
    .sort((a, b) => byPath(a.label.toLowerCase(), b.label.toLowerCase()) || byPath(a.id, b.id));
}
